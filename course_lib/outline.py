"""The course as a whole: which lessons make up each track, and in what order (``course.yaml``).

Read from the source (``notebooks/``) by the build, and from an edition's own copy of
``course.yaml`` by the learner's progress page, so it needs nothing but YAML.

A track may be offered in other languages (``languages: [es]``): then each of its lessons has its
``lesson.es.yaml``, and the course's own words (title, summary, tracks' titles and intros) are in
``course.es.yaml``, an overlay of words on ``course.yaml`` like a lesson's (:mod:`course_lib.translation`).
``load_outline(folder, "es")`` is the course in Spanish: the tracks offered in it, their lessons in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import LessonContent, load_lesson
from .files import parse_yaml
from .i18n import DEFAULT, N_
from .layout import COURSE_FILE, lesson_ids
from .reader import LessonError

TRACK_NAMES = {"parent": N_("Parents' track"), "aide": N_("Aides' track")}  # messages: say them with t._()
PASS_MARK = 80  # percent of a lesson's points, where course.yaml names none


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    intro: str
    lessons: tuple[str, ...]
    languages: tuple[str, ...] = ()  # offered in these languages too (English always)

    @property
    def name(self) -> str:
        """The track's name as a message (``t._(track.name)``)."""
        return TRACK_NAMES[self.id]


@dataclass(frozen=True)
class Outline:
    title: str
    summary: str
    tracks: dict[str, Track]
    lessons: dict[str, LessonContent]  # in course order
    language: str = DEFAULT
    pass_mark: float = PASS_MARK  # percent of a lesson's points "Check my lesson" must give for it to be done

    def glossary(self) -> dict[str, str]:
        """Every lesson's words in one list; a word defined twice keeps its first definition."""
        merged: dict[str, str] = {}
        for lesson in self.lessons.values():
            for term, meaning in lesson.glossary.items():
                merged.setdefault(term, meaning)
        return dict(sorted(merged.items(), key=lambda kv: kv[0].casefold()))


def read_course(folder: Path) -> dict:
    """``course.yaml`` as YAML gives it, checked to have tracks."""
    path = folder / COURSE_FILE
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{path}: missing; it lists the course's tracks") from None
    except yaml.YAMLError as exc:
        raise LessonError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("tracks"), dict):
        raise LessonError(f"{path}: needs a 'tracks' mapping")
    return raw


def course_languages(folder: Path) -> tuple[str, ...]:
    """English, then every language a track of ``course.yaml`` is offered in."""
    tracks = read_course(folder)["tracks"].values()
    more = {str(code) for t in tracks if isinstance(t, dict) for code in (t.get("languages") or ())}
    return (DEFAULT, *sorted(more - {DEFAULT}))


def load_outline(folder: Path, language: str | None = None) -> Outline:
    """Read ``course.yaml`` in ``folder`` and every lesson beside it; refuse a track that names a
    missing lesson, and a lesson in no track. In another ``language``: the tracks offered in it, with
    its words (``course.<language>.yaml``) and its lessons."""
    path = folder / COURSE_FILE
    raw = read_course(folder)
    language = language or DEFAULT
    if language != DEFAULT:
        from .translation import load_translation, translate

        overlay = folder / f"course.{language}.yaml"
        raw, _cells = translate(raw, {}, load_translation(folder, language, overlay.name), str(overlay))
    ids = lesson_ids(folder)
    tracks = {}
    for tid, t in raw["tracks"].items():
        if tid not in TRACK_NAMES or not isinstance(t, dict) or not isinstance(t.get("lessons"), list):
            raise LessonError(f"{path}: track {tid!r} must be one of {list(TRACK_NAMES)} and list its lessons")
        if missing := [lid for lid in t["lessons"] if lid not in ids]:
            raise LessonError(f"{path}: track {tid!r} names lessons that do not exist: {missing}")
        codes = t.get("languages") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise LessonError(f"{path}: track {tid!r}: languages must be a list of language codes, like [es]")
        tracks[tid] = Track(tid, str(t.get("title", TRACK_NAMES[tid])), str(t.get("intro", "")),
                            tuple(t["lessons"]), tuple(codes))
    if orphans := sorted(set(ids) - {lid for t in tracks.values() for lid in t.lessons}):
        raise LessonError(f"{path}: these lessons are in no track: {orphans}")
    if language != DEFAULT:
        tracks = {tid: t for tid, t in tracks.items() if language in t.languages}
        ids = [lid for lid in ids if any(lid in t.lessons for t in tracks.values())]
    lessons = {lid: load_lesson(folder / lid, language) for lid in ids}
    return Outline(str(raw.get("title", "The course")), str(raw.get("summary", "")), tracks, lessons, language,
                   _pass_mark(raw, path))


def pass_mark(folder: Path) -> float:
    """The pass mark in ``course.yaml`` in ``folder`` (a lesson's kernel reads it without the lessons)."""
    try:
        raw = parse_yaml((folder / COURSE_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return PASS_MARK
    try:
        return _pass_mark(raw, folder / COURSE_FILE) if isinstance(raw, dict) else PASS_MARK
    except LessonError:
        return PASS_MARK


def _pass_mark(raw: dict, path: Path) -> float:
    mark = raw.get("pass_mark", PASS_MARK)
    if isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 < mark <= 100:
        raise LessonError(f"{path}: pass_mark must be a percentage above 0 and at most 100, not {mark!r}")
    return float(mark)
