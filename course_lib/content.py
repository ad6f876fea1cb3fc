"""Lesson content as data: load ``lesson.yaml`` and check it before any widget is drawn.

One file holds everything a lesson says and asks: text blocks, scenarios, self-checks, graded
questions with their answer keys, points, ``why`` and per-option feedback, and reflections with
their points and rubric. Content is kept apart from widget code so people who do not program
can write and review it.

The same data comes in three *editions* (the ``edition`` field, written by ``course build``):

* ``source``: what an author edits in ``notebooks/`` (keys included);
* ``cohort``: what nbgrader hands to learners with an instructor; :func:`withhold_keys` removes
  every key, ``why``, graded feedback and rubric, so nothing a learner receives can give them away;
* ``self-paced``: for a learner studying alone and for the read-only web view; it keeps its keys,
  which stay in the kernel and reach the screen only after the learner has answered.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .files import parse_yaml
from .i18n import DEFAULT
from .questions import Question, Reflection
from .reader import LessonError, Reader
from .store import entry_key

LESSON_FILE = "lesson.yaml"
AUDIENCES = ("parent", "aide")
EDITIONS = ("source", "cohort", "self-paced")


@dataclass(frozen=True)
class Choice:
    text: str
    feedback: str
    next: str


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    choices: tuple[Choice, ...] = ()

    @property
    def is_ending(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    start: str
    steps: dict[str, Step]

    @property
    def store_key(self) -> str:
        """Where the path a learner took is kept."""
        return entry_key("scenarios", self.id)


@dataclass(frozen=True)
class LessonContent:
    id: str
    title: str
    minutes: int
    audiences: tuple[str, ...]
    objectives: tuple[str, ...]
    key_points: tuple[str, ...]
    sources: tuple[str, ...]
    edition: str = "source"
    glossary: dict[str, str] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    self_checks: dict[str, Question] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    reflections: dict[str, Reflection] = field(default_factory=dict)

    @property
    def has_keys(self) -> bool:
        return self.edition != "cohort"

    @property
    def graded_points(self) -> float:
        return sum(q.points for q in self.questions.values())

    @property
    def manual_points(self) -> float:
        return sum(r.points for r in self.reflections.values())


def read_raw(folder: str | Path) -> dict:
    """The lesson file's data as YAML gives it (for editions and checks)."""
    path = Path(folder) / LESSON_FILE
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(
            f"This lesson's content file ({path.name}) is not in {path.parent}. "
            "Open the lesson notebook from its own folder, or reinstall the course."
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LessonError(f"{path}: not valid YAML ({exc})") from None
    return raw


def load_lesson(folder: str | Path, language: str | None = None) -> LessonContent:
    """Read and check ``lesson.yaml`` in ``folder``; in another ``language``, with the words of its
    ``lesson.<language>.yaml`` (:mod:`course_lib.translation`) over the same structure."""
    where = str(Path(folder) / LESSON_FILE)
    raw = read_raw(folder)
    if language and language != DEFAULT:
        from .translation import load_translation, translate, translation_file

        words = {k: v for k, v in load_translation(folder, language).items() if k != "cells"}  # the notebook's
        raw, _cells = translate(raw, {}, words, str(translation_file(folder, language)))
    return parse_lesson(raw, where=where)


def parse_lesson(raw: object, where: str = LESSON_FILE) -> LessonContent:
    r = Reader(raw, where)
    r.only("id", "edition", "title", "minutes", "audiences", "objectives", "key_points", "sources", "glossary",
           "scenarios", "self_checks", "questions", "reflections")
    edition = r.text("edition", "source")
    if edition not in EDITIONS:
        r.fail(f"edition must be one of {list(EDITIONS)}")
    keys = edition != "cohort"

    def section(name: str, build) -> dict:
        return {k: build(r.sub(f"{name}.{k}", v), k) for k, v in r.mapping(name, required=False).items()}

    return LessonContent(
        id=r.text("id"),
        title=r.text("title"),
        minutes=r.integer("minutes"),
        audiences=tuple(r.choice_list("audiences", AUDIENCES)),
        objectives=tuple(r.text_list("objectives")),
        key_points=tuple(r.text_list("key_points")),
        sources=tuple(r.text_list("sources")),
        edition=edition,
        glossary=section("glossary", lambda s, _k: s.value_text()),
        scenarios=section("scenarios", read_scenario),
        self_checks=section("self_checks", lambda s, k: Question.read(s, k, graded=False, keys=True)),
        questions=section("questions", lambda s, k: Question.read(s, k, graded=True, keys=keys)),
        reflections=section("reflections", lambda s, k: Reflection.read(s, k, keys=keys)),
    )


# -- editions ------------------------------------------------------------------------------------
def withhold_keys(raw: dict) -> dict:
    """The cohort edition of a lesson's data: graded questions without keys, ``why`` or feedback,
    reflections without rubrics, each kind saying what it withholds. Self-checks keep theirs: they
    are practice, marked at once."""
    out = copy.deepcopy(raw)
    out["edition"] = "cohort"
    _take_out_keys(out)
    return out


def withheld_texts(raw: dict) -> list[str]:
    """Every text of the source data that the cohort edition withholds (for the release's leak scan)."""
    return _take_out_keys(copy.deepcopy(raw))


def _take_out_keys(raw: dict) -> list[str]:
    taken = []
    for qid, q in (raw.get("questions") or {}).items():
        taken += Question.kind_of(q, f"questions.{qid}").withhold(q)
    for r in (raw.get("reflections") or {}).values():
        if isinstance(r, dict):
            taken += Reflection.withhold(r)
    return taken


def with_edition(raw: dict, edition: str) -> dict:
    """``raw`` marked as ``edition``; the cohort edition also loses its keys."""
    if edition == "cohort":
        return withhold_keys(raw)
    return {**raw, "edition": edition}


def dump(raw: dict) -> str:
    return yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100)


# -- scenarios -----------------------------------------------------------------------------------
def read_scenario(r: Reader, sid: str) -> Scenario:
    r.only("title", "start", "steps")
    steps = {}
    for step_id, step_raw in r.mapping("steps").items():
        s = r.sub(f"steps.{step_id}", step_raw)
        s.only("text", "choices", "ending")
        if s.boolean("ending", False):
            if s.data.get("choices"):
                s.fail("an ending has no choices")
            steps[step_id] = Step(id=step_id, text=s.text("text"))
            continue
        choices = tuple(
            Choice(text=c.only("text", "feedback", "next").text("text"), feedback=c.text("feedback"),
                   next=c.text("next"))
            for c in s.items("choices", minimum=1)
        )
        steps[step_id] = Step(id=step_id, text=s.text("text"), choices=choices)
    scenario = Scenario(id=sid, title=r.text("title"), start=r.text("start"), steps=steps)
    _check_graph(scenario, r)
    return scenario


def _check_graph(sc: Scenario, r: Reader) -> None:
    """Every ``next`` exists, every step is reachable, and the learner can always reach an end."""
    if sc.start not in sc.steps:
        r.fail(f"start step {sc.start!r} is not among the steps")
    for step in sc.steps.values():
        for choice in step.choices:
            if choice.next not in sc.steps:
                r.fail(f"step {step.id!r}: a choice leads to {choice.next!r}, which is not a step")
    seen, todo = set(), [sc.start]
    while todo:
        sid = todo.pop()
        if sid not in seen:
            seen.add(sid)
            todo.extend(c.next for c in sc.steps[sid].choices)
    if unreachable := sorted(set(sc.steps) - seen):
        r.fail(f"these steps can never be reached from the start: {unreachable}")
    ends = {s.id for s in sc.steps.values() if s.is_ending}
    if not ends:
        r.fail("a scenario needs at least one ending (a step with ending: true)")
    can_end = set(ends)
    changed = True
    while changed:
        changed = False
        for step in sc.steps.values():
            if step.id not in can_end and any(c.next in can_end for c in step.choices):
                can_end.add(step.id)
                changed = True
    if stuck := sorted(set(sc.steps) - can_end):
        r.fail(f"from these steps no ending can be reached: {stuck}")
