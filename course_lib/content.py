"""Lesson content as data: load ``lesson.yaml`` and check it before any widget is drawn.

Content is kept apart from widget code so that people who do not program can write and
review it. Every problem found here is an *author's* mistake, so the messages name the lesson
file and the field to fix; learners never see them once a lesson passes the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

LESSON_FILE = "lesson.yaml"
KINDS = ("single", "multiple", "sort")
AUDIENCES = ("parent", "aide")


class LessonError(ValueError):
    """A lesson file is missing or does not follow the format in docs/authoring.md."""


@dataclass(frozen=True)
class Option:
    """One answer option (single/multiple) or one item to sort (sort)."""

    id: str
    text: str
    correct: bool = False  # self-checks only (single/multiple)
    answer: str | None = None  # self-checks only (sort): the category id
    feedback: str = ""  # self-checks only


@dataclass(frozen=True)
class Question:
    """A self-check (``graded=False``: key and feedback included) or a graded question.

    For ``sort`` questions ``options`` holds the items and ``categories`` the places they go.
    """

    id: str
    kind: str
    prompt: str
    options: tuple[Option, ...]
    graded: bool
    hint: str = ""
    categories: tuple[Option, ...] = ()

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)


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


@dataclass(frozen=True)
class Reflection:
    id: str
    prompt: str
    hint: str = ""


@dataclass(frozen=True)
class LessonContent:
    id: str
    title: str
    minutes: int
    audiences: tuple[str, ...]
    objectives: tuple[str, ...]
    key_points: tuple[str, ...]
    sources: tuple[str, ...]
    glossary: dict[str, str] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    self_checks: dict[str, Question] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    reflections: dict[str, Reflection] = field(default_factory=dict)


def load_lesson(folder: str | Path) -> LessonContent:
    """Read and check ``lesson.yaml`` in ``folder``."""
    path = Path(folder) / LESSON_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(
            f"This lesson's content file ({path.name}) is not in {path.parent}. "
            "Open the lesson notebook from its own folder, or reinstall the course."
        ) from None
    except yaml.YAMLError as exc:
        raise LessonError(f"{path}: not valid YAML ({exc})") from None
    return parse_lesson(raw, where=str(path))


def parse_lesson(raw: object, where: str = LESSON_FILE) -> LessonContent:
    r = _Reader(raw, where)
    r.only("id", "title", "minutes", "audiences", "objectives", "key_points", "sources", "glossary",
           "scenarios", "self_checks", "questions", "reflections")

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
        glossary=section("glossary", lambda s, _k: s.value_text()),
        scenarios=section("scenarios", _scenario),
        self_checks=section("self_checks", lambda s, k: _question(s, k, graded=False)),
        questions=section("questions", lambda s, k: _question(s, k, graded=True)),
        reflections=section("reflections", _reflection),
    )


def _reflection(r: _Reader, rid: str) -> Reflection:
    r.only("prompt", "hint")
    return Reflection(id=rid, prompt=r.text("prompt"), hint=r.text("hint", ""))


def _question(r: _Reader, qid: str, graded: bool) -> Question:
    r.only("kind", "prompt", "hint", "options", "categories", "items")
    kind = r.text("kind")
    if kind not in KINDS:
        r.fail(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    key_fields = ("correct", "answer", "feedback")
    categories: tuple[Option, ...] = ()
    if kind == "sort":
        categories = tuple(Option(id=c.only("id", "text").text("id"), text=c.text("text"))
                           for c in r.items("categories", minimum=2))
        r.unique([c.id for c in categories], "categories")
        options = []
        for item in r.items("items", minimum=2):
            answer = item.text("answer", None)
            if not graded and answer not in {c.id for c in categories}:
                item.fail(f"answer must be one of the category ids {[c.id for c in categories]}")
            options.append(Option(id=item.text("id"), text=item.text("text"), answer=answer,
                                  feedback=item.text("feedback", "")))
    else:
        options = [
            Option(id=o.text("id"), text=o.text("text"), correct=o.boolean("correct", False),
                   feedback=o.text("feedback", ""))
            for o in r.items("options", minimum=2)
        ]
        if not graded:
            n_correct = sum(o.correct for o in options)
            if kind == "single" and n_correct != 1:
                r.fail("a single-choice self-check needs exactly one option with correct: true")
            if kind == "multiple" and n_correct < 1:
                r.fail("a multiple-choice self-check needs at least one option with correct: true")
    r.unique([o.id for o in options], "options" if kind != "sort" else "items")
    for o_raw in r.items("items" if kind == "sort" else "options", minimum=2):
        o_raw.only("id", "text", "feedback", "answer" if kind == "sort" else "correct")
        for name in key_fields:
            if graded and name in o_raw.data:
                o_raw.fail(
                    f"graded questions must not carry '{name}' in lesson.yaml: it would be copied "
                    "into the student release. Put the answer key in the notebook's hidden test cell."
                )
        if not graded and not o_raw.data.get("feedback"):
            o_raw.fail("every self-check option needs feedback")
    return Question(id=qid, kind=kind, prompt=r.text("prompt"), options=tuple(options), graded=graded,
                    hint=r.text("hint", ""), categories=categories)


def _scenario(r: _Reader, sid: str) -> Scenario:
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


def _check_graph(sc: Scenario, r: _Reader) -> None:
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


class _Reader:
    """Small typed accessor that turns a wrong field into a message naming where it is."""

    def __init__(self, data: object, where: str, path: str = ""):
        self.data, self.where, self.path = data, where, path
        if not isinstance(data, dict):
            self.fail("expected a mapping of fields")

    def sub(self, name: str, data: object) -> _Reader:
        path = f"{self.path}.{name}" if self.path else name
        if isinstance(data, str):
            reader = object.__new__(_Reader)
            reader.data, reader.where, reader.path = data, self.where, path
            return reader
        return _Reader(data, self.where, path)

    def fail(self, message: str):
        at = f" (at {self.path})" if self.path else ""
        raise LessonError(f"{self.where}{at}: {message}")

    def only(self, *names: str) -> _Reader:
        """Refuse unknown fields: a typo, or an unquoted comma inside ``{...}``, would otherwise
        silently cut a learner-facing text short."""
        if not isinstance(self.data, dict):
            self.fail("expected a mapping of fields")
        if unknown := [str(k) for k in self.data if k not in names]:
            self.fail(f"unknown field(s) {unknown}; allowed: {list(names)}. If a text contains a comma "
                      "inside {...}, put the text in quotes.")
        return self

    def value_text(self) -> str:
        if not isinstance(self.data, str) or not self.data.strip():
            self.fail("expected text")
        return self.data.strip()

    def text(self, name: str, default: object = ...) -> str:
        value = self.data.get(name, default)
        if value is ...:
            self.fail(f"missing field '{name}'")
        if value is default and default is not ...:
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"field '{name}' must be non-empty text")
        return value.strip()

    def integer(self, name: str) -> int:
        value = self.data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.fail(f"field '{name}' must be a positive whole number")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"field '{name}' must be true or false")
        return value

    def text_list(self, name: str) -> list[str]:
        values = self.data.get(name)
        if not isinstance(values, list) or not values:
            self.fail(f"field '{name}' must be a non-empty list")
        return [self.sub(f"{name}[{i}]", v).value_text() for i, v in enumerate(values)]

    def choice_list(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        values = self.text_list(name)
        if bad := [v for v in values if v not in allowed]:
            self.fail(f"field '{name}' has {bad}; allowed: {list(allowed)}")
        return values

    def mapping(self, name: str, required: bool = True) -> dict:
        value = self.data.get(name)
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or not value:
            self.fail(f"field '{name}' must be a non-empty mapping")
        return {str(k): v for k, v in value.items()}

    def items(self, name: str, minimum: int) -> list[_Reader]:
        values = self.data.get(name)
        if not isinstance(values, list) or len(values) < minimum:
            self.fail(f"field '{name}' must be a list of at least {minimum}")
        return [self.sub(f"{name}[{i}]", v) for i, v in enumerate(values)]

    def unique(self, ids: list[str], name: str) -> None:
        if len(set(ids)) != len(ids):
            self.fail(f"ids in '{name}' must be unique")
