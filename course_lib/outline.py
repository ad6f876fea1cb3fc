"""The course as a whole: which lessons make up each track, and in what order (``course.yaml``).

Read from the source (``notebooks/``) by the build, and from an edition's own copy of
``course.yaml`` by the learner's progress page, so it needs nothing but YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import LessonContent, load_lesson
from .layout import COURSE_FILE, lesson_ids
from .reader import LessonError

TRACK_NAMES = {"parent": "Parents' track", "aide": "Aides' track"}
PASS_MARK = 80  # percent of a lesson's points, where course.yaml names none


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    intro: str
    lessons: tuple[str, ...]

    @property
    def name(self) -> str:
        return TRACK_NAMES[self.id]


@dataclass(frozen=True)
class Outline:
    title: str
    summary: str
    tracks: dict[str, Track]
    lessons: dict[str, LessonContent]  # in course order
    pass_mark: float = PASS_MARK  # percent of a lesson's points "Check my lesson" must give for it to be done

    def glossary(self) -> dict[str, str]:
        """Every lesson's words in one list; a word defined twice keeps its first definition."""
        merged: dict[str, str] = {}
        for lesson in self.lessons.values():
            for term, meaning in lesson.glossary.items():
                merged.setdefault(term, meaning)
        return dict(sorted(merged.items(), key=lambda kv: kv[0].casefold()))


def load_outline(folder: Path) -> Outline:
    """Read ``course.yaml`` in ``folder`` and every lesson beside it; refuse a track that names a
    missing lesson, and a lesson in no track."""
    path = folder / COURSE_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{path}: missing; it lists the course's tracks") from None
    except yaml.YAMLError as exc:
        raise LessonError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("tracks"), dict):
        raise LessonError(f"{path}: needs a 'tracks' mapping")
    lessons = {lid: load_lesson(folder / lid) for lid in lesson_ids(folder)}
    tracks = {}
    for tid, t in raw["tracks"].items():
        if tid not in TRACK_NAMES or not isinstance(t, dict) or not isinstance(t.get("lessons"), list):
            raise LessonError(f"{path}: track {tid!r} must be one of {list(TRACK_NAMES)} and list its lessons")
        if missing := [lid for lid in t["lessons"] if lid not in lessons]:
            raise LessonError(f"{path}: track {tid!r} names lessons that do not exist: {missing}")
        tracks[tid] = Track(tid, str(t.get("title", TRACK_NAMES[tid])), str(t.get("intro", "")),
                            tuple(t["lessons"]))
    if orphans := sorted(set(lessons) - {lid for t in tracks.values() for lid in t.lessons}):
        raise LessonError(f"{path}: these lessons are in no track: {orphans}")
    return Outline(str(raw.get("title", "The course")), str(raw.get("summary", "")), tracks, lessons,
                   _pass_mark(raw, path))


def pass_mark(folder: Path) -> float:
    """The pass mark in ``course.yaml`` in ``folder`` (a lesson's kernel reads it without the lessons)."""
    try:
        raw = yaml.safe_load((folder / COURSE_FILE).read_text(encoding="utf-8"))
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
