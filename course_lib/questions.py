"""Question kinds: one class per kind, the way an exercise library gives each problem a class.

A kind knows how to read its data from ``lesson.yaml``, turn a raw value into a canonical answer
(:meth:`Question.normalise`), score and mark an answer, and describe one in words. It also owns
what every other part asks of it: the points an answer earns (:meth:`Question.points_for`), where
its answer is kept (:attr:`Question.store_key`) and how a saved value is read back
(:meth:`Question.saved_in`), what a cohort release withholds (:meth:`Question.withhold`) and how
guessable its keys may be, by position (:meth:`Question.position_limit`) or by length
(:meth:`Question.length_cue`, :meth:`Question.length_limit`). Self-checks and graded
questions are the same classes (``graded`` differs), so practice and grading never disagree.
A new kind is one subclass here and one input widget in :mod:`course_lib.views`; a subclass that
lacks one of the methods a kind needs is refused when it is defined.

Everything a learner sends is untrusted: a value can arrive from a browser in the web view, or
from an edited answers file. ``normalise`` returns one canonical form or raises
:class:`AnswerError` with a message written for the learner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from .i18n import N_, Message
from .reader import LessonError, Reader
from .registry import register
from .store import ResponseStore, entry_key

MAX_REFLECTION_CHARS = 5000
SKILLS = ("apply", "recall")
MAX_SHARE_AT_ONE_POSITION = 0.4  # single choice: no option position may be right in more than 40%
MULTIPLE_MARGIN = 0.25  # multiple choice: a position right this much more often than average is a pattern
MAX_LENGTH_RATIO = 1.3  # no key more than 1.3 times as long as the wrong options (as each kind measures it)
MIN_LENGTH_CUE = 10  # characters: a key longer by fewer than this stands out by no word ("Yes" and "No")
MAX_SHARE_KEY_LONGEST = 1 / 3  # single choice: the key may be the longest option in about a third at most


class AnswerError(ValueError):
    """An answer that cannot be accepted. ``message`` is a friendly message for the learner, shown in
    the page's language (``str(err)`` is its English)."""

    def __init__(self, text: str, **params):
        self.message = Message.of(text, **params)
        super().__init__(self.message)


@dataclass(frozen=True)
class Option:
    """An answer option, an item to sort, or a place to sort it into."""

    id: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class LengthCue:
    """How a question's right option(s) stand out by length alone, for a learner who picks the longest."""

    ratio: float  # how many times as long the right option(s) are as the wrong ones, as the kind measures it
    excess: float  # by how many characters, measured the same way
    rank: int  # how many options are longer than the longest right one: 0, a right option is the longest


@dataclass(frozen=True)
class LengthLimit:
    """How far a kind's keys may stand out by length, across the course's graded questions of that kind."""

    ratio: float  # the largest LengthCue.ratio of any one question (by MIN_LENGTH_CUE characters or more)
    longest: float  # the largest share of questions whose longest option is a right one
    one_rank: float | None = None  # the largest share whose key sits at any one other length rank


@dataclass(frozen=True)
class Line:
    """One marked part of an answer: right or not, what the learner chose, and why."""

    ok: bool
    chosen: str
    why: str = ""


@dataclass(frozen=True)
class Marked:
    """The marking of one answer. ``missed`` holds right options the learner did not choose, so a
    caller decides whether to name them (graded feedback) or only count them (a first try)."""

    fraction: float
    lines: tuple[Line, ...]
    missed: tuple[Option, ...] = ()


KINDS: dict[str, type[Question]] = {}
KIND_METHODS = ("_read_key", "normalise", "score", "mark", "describe")  # each kind writes its own


@dataclass(frozen=True)
class Question:
    """Fields every kind shares. ``key`` is ``None`` in an edition that withholds answer keys."""

    id: str
    prompt: str
    options: tuple[Option, ...]
    graded: bool
    key: object = None
    hints: tuple[str, ...] = ()
    points: float = 0
    why: str = ""
    skill: str = ""  # graded only: "apply" (decide a case) or "recall" (remember a fact)

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""  # the kind in words, for authors' messages ("single-choice")
    instruction: ClassVar[str] = ""  # one line under the prompt, telling how to answer
    items_field: ClassVar[str] = "options"  # the list of what is chosen among
    key_field: ClassVar[str] = "correct"  # the field of each item that holds the key
    extra_fields: ClassVar[tuple[str, ...]] = ()
    withheld_fields: ClassVar[tuple[str, ...]] = ("why",)  # of a graded question, beside its keys
    withheld_item_fields: ClassVar[tuple[str, ...]] = ("feedback",)  # of each item, beside its key
    length_measure: ClassVar[str] = ""  # what length_cue's ratio means, in words ("{ratio:.2f}" placed in it)

    def __init_subclass__(cls, **kwargs):
        """Register a kind by its name, once it has everything a kind needs."""
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            return
        unnamed = tuple(f for f in ("label", "instruction", "items_field", "key_field") if not getattr(cls, f))
        register(KINDS, cls, Question, KIND_METHODS, "question kind", unnamed)

    @staticmethod
    def kind_of(raw: object, where: str = "") -> type[Question]:
        """The class of a question's raw data (its ``kind`` field)."""
        kind = raw.get("kind") if isinstance(raw, Mapping) else None
        if kind not in KINDS:
            raise LessonError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return KINDS[kind]

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def read(r: Reader, qid: str, graded: bool, keys: bool) -> Question:
        """Read one question of any kind. ``keys``: the data must carry answer keys (the source
        and the self-paced edition) or must not (a cohort release). Self-checks always do."""
        kind = r.text("kind")
        if kind not in KINDS:
            r.fail(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        return KINDS[kind]._read(r, qid, graded, keys or not graded)

    @classmethod
    def _read(cls, r: Reader, qid: str, graded: bool, keys: bool) -> Question:
        fields = ["kind", "prompt", "hint", cls.items_field, *cls.extra_fields]
        if graded:
            fields += ["points", "skill", *(cls.withheld_fields if keys else ())]
        r.only(*fields)
        item_fields = ("id", "text") + ((cls.key_field, *cls.withheld_item_fields) if keys else ())
        items = r.items(cls.items_field, minimum=2)
        for item in items:
            item.only(*item_fields)
            if not graded and not item.has("feedback"):
                item.fail("every self-check option needs feedback")
        options = tuple(Option(i.text("id"), i.text("text"), i.text("feedback", "")) for i in items)
        r.unique([o.id for o in options], cls.items_field)
        extra = cls._read_extra(r)
        key = cls._read_key(r, items, options, extra) if keys else None
        return cls(id=qid, prompt=r.text("prompt"), options=options, graded=graded, key=key,
                   hints=tuple(r.text_list("hint", required=False)),
                   points=r.number("points") if graded else 0,
                   why=r.text("why", "") if graded and keys else "",
                   skill=cls._read_skill(r) if graded else "", **extra)

    @staticmethod
    def _read_skill(r: Reader) -> str:
        skill = r.text("skill")
        if skill not in SKILLS:
            r.fail(f"skill must be one of {list(SKILLS)}: does the question ask to apply a rule to a case, "
                   "or to recall a fact?")
        return skill

    @classmethod
    def _read_extra(cls, r: Reader) -> dict:
        return {}

    @classmethod
    def _read_key(cls, r: Reader, items: list[Reader], options: tuple[Option, ...], extra: dict):
        raise NotImplementedError

    @classmethod
    def withhold(cls, raw: dict) -> list[str]:
        """Take out of a graded question's raw data (in place) what a cohort release must not hold:
        each item's key and feedback, and ``why``. Returns the texts taken out, which the release's
        leak scan then looks for in every file."""
        taken = [raw.pop(f, None) for f in cls.withheld_fields]
        for item in raw.get(cls.items_field) or ():
            if isinstance(item, dict):
                item.pop(cls.key_field, None)
                taken += [item.pop(f, None) for f in cls.withheld_item_fields]
        return [t for t in taken if isinstance(t, str)]

    @classmethod
    def position_limit(cls, questions: list[Question]) -> float | None:
        """The largest share of ``questions`` (all of this kind, with keys) whose key may sit at one
        option position before a learner could guess it; ``None`` where position means nothing."""
        return None

    @classmethod
    def length_limit(cls, questions: list[Question]) -> LengthLimit | None:
        """How far the keys of ``questions`` (all of this kind, with keys) may stand out by length
        (:meth:`length_cue`) before a learner could guess them; ``None`` where length means nothing."""
        return None

    # -- where the answer is kept ----------------------------------------------------------------
    @property
    def store_key(self) -> str:
        return entry_key("questions" if self.graded else "self_checks", self.id)

    def answer_from(self, value: object):
        """A saved value as a normalised answer, or ``None`` if nothing (readable) was saved."""
        if value is None:
            return None
        try:
            return self.normalise(value)
        except AnswerError:
            return None

    def saved_in(self, store: ResponseStore):
        """The learner's saved answer to this question, normalised, or ``None``."""
        return self.answer_from(store.get(self.store_key))

    def points_for(self, answer) -> float:
        """The points a normalised answer (or ``None``: no answer) earns; the one place they are counted."""
        return round(self.score(answer) * self.points, 2) if answer is not None else 0.0

    # -- answering -----------------------------------------------------------------------------
    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def normalise(self, raw: object):
        """The canonical form of ``raw``, or :class:`AnswerError` with a message for the learner."""
        raise NotImplementedError

    def score(self, answer) -> float:
        """Fraction of credit in [0, 1] for a normalised answer (needs the key)."""
        raise NotImplementedError

    def mark(self, answer) -> Marked:
        """Right and wrong, part by part, with each part's feedback (needs the key)."""
        raise NotImplementedError

    def describe(self, answer) -> str:
        """A normalised answer in words (Markdown), as a learner would read it."""
        raise NotImplementedError

    def key_positions(self) -> tuple[int, ...]:
        """Positions (0-based) of the right options, for the check that keys are not guessable by
        position. Empty where position means nothing (sorting)."""
        return ()

    def length_cue(self) -> LengthCue | None:
        """How the right option(s) stand out by length, for the check that keys are not guessable by
        length. ``None`` where length means nothing (sorting)."""
        return None

    def _lengths(self) -> tuple[list[int], list[int], int]:
        """The lengths of the right and of the wrong options, and how many options are longer than the
        longest right one."""
        right = set(self.key_positions())
        lengths = [len(o.text) for o in self.options]
        longest_right = max(lengths[i] for i in right)
        return ([lengths[i] for i in sorted(right)], [n for i, n in enumerate(lengths) if i not in right],
                sum(n > longest_right for n in lengths))


class SingleChoice(Question):
    kind = "single"
    label = "single-choice"
    instruction = N_("Choose one answer.")
    length_measure = "the right option is {ratio:.2f} times as long as the longest wrong one"

    @classmethod
    def _read_key(cls, r, items, options, extra):
        right = [o.id for o, i in zip(options, items, strict=True) if i.boolean(cls.key_field, False)]
        if len(right) != 1:
            r.fail(f"a {cls.label} question needs exactly one option with {cls.key_field}: true")
        return right[0]

    def normalise(self, raw):
        if raw is None or raw == "":
            raise AnswerError(N_("Please choose an answer first."))
        if not isinstance(raw, str) or raw not in self.option_ids:
            raise AnswerError(N_("That answer is not one of the choices. Please choose again."))
        return raw

    def score(self, answer):
        return 1.0 if answer == self.key else 0.0

    def mark(self, answer):
        chosen = self.option(answer)
        missed = () if answer == self.key else (self.option(self.key),)
        return Marked(self.score(answer), (Line(answer == self.key, chosen.text, chosen.feedback),), missed)

    def describe(self, answer):
        return self.option(answer).text

    def key_positions(self):
        return (self.option_ids.index(self.key),)

    @classmethod
    def position_limit(cls, questions):
        return MAX_SHARE_AT_ONE_POSITION

    def length_cue(self):
        """The key against the longest wrong option, and the key's place when options are sorted by length."""
        (key,), wrong, rank = self._lengths()
        return LengthCue(key / max(wrong), key - max(wrong), rank)

    @classmethod
    def length_limit(cls, questions):
        """The key the longest option in about a third of questions at most, and no other length rank
        (second longest, ...) holding it as often as a position may."""
        return LengthLimit(MAX_LENGTH_RATIO, MAX_SHARE_KEY_LONGEST, MAX_SHARE_AT_ONE_POSITION)


class MultipleChoice(Question):
    kind = "multiple"
    label = "multiple-choice"
    instruction = N_("Tick every answer that fits.")
    length_measure = "the right options are on average {ratio:.2f} times as long as the wrong ones"

    @classmethod
    def _read_key(cls, r, items, options, extra):
        right = tuple(o.id for o, i in zip(options, items, strict=True) if i.boolean(cls.key_field, False))
        if not right:
            r.fail(f"a {cls.label} question needs at least one option with {cls.key_field}: true")
        return right

    def normalise(self, raw):
        if isinstance(raw, str) or not isinstance(raw, (list, tuple, set, frozenset)):
            raise AnswerError(N_("That answer could not be read. Please tick your choices again."))
        if not raw:
            raise AnswerError(N_("Please tick at least one box first."))
        if any(not isinstance(v, str) or v not in self.option_ids for v in raw):
            raise AnswerError(N_("One of those answers is not among the choices. Please tick again."))
        return tuple(i for i in self.option_ids if i in raw)

    def score(self, answer):
        """Right ticks minus wrong ticks, over the number of right options, never below zero:
        ticking every box earns nothing."""
        right, picked = set(self.key), set(answer)
        return max(0.0, (len(picked & right) - len(picked - right)) / len(right))

    def mark(self, answer):
        lines = tuple(Line(o.id in self.key, o.text, o.feedback) for o in self.options if o.id in answer)
        missed = tuple(o for o in self.options if o.id in self.key and o.id not in answer)
        return Marked(self.score(answer), lines, missed)

    def describe(self, answer):
        return "; ".join(self.option(i).text for i in answer)

    def key_positions(self):
        return tuple(self.option_ids.index(i) for i in self.key)

    @classmethod
    def position_limit(cls, questions):
        """No position may be right much more often than options are right on average, nor in every question."""
        average = sum(len(q.key) / len(q.options) for q in questions) / len(questions)
        return min(average + MULTIPLE_MARGIN, 0.999)

    def length_cue(self):
        """The right options' average length against the wrong ones'; a right option the longest or not."""
        right, wrong, rank = self._lengths()
        if not wrong:
            return None
        mean_right, mean_wrong = sum(right) / len(right), sum(wrong) / len(wrong)
        return LengthCue(mean_right / mean_wrong, mean_right - mean_wrong, rank)

    @classmethod
    def length_limit(cls, questions):
        """The longest option right no more often than a position may be (options are right that often
        by chance)."""
        return LengthLimit(MAX_LENGTH_RATIO, cls.position_limit(questions))


@dataclass(frozen=True)
class Sorting(Question):
    """Put each item (``options``) in one of the ``categories``; the key maps item -> category."""

    categories: tuple[Option, ...] = ()

    kind = "sort"
    label = "sorting"
    instruction = N_("Choose a place for each item.")
    items_field = "items"
    key_field = "answer"
    extra_fields = ("categories",)

    @classmethod
    def _read_extra(cls, r):
        cats = tuple(Option(c.only("id", "text").text("id"), c.text("text")) for c in r.items("categories", 2))
        r.unique([c.id for c in cats], "categories")
        return {"categories": cats}

    @classmethod
    def _read_key(cls, r, items, options, extra):
        cat_ids = [c.id for c in extra["categories"]]
        key = {}
        for o, item in zip(options, items, strict=True):
            answer = item.text(cls.key_field, None)
            if answer not in cat_ids:
                item.fail(f"{cls.key_field} must be one of the category ids {cat_ids}")
            key[o.id] = answer
        return key

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    def category(self, category_id: str) -> Option:
        return next(c for c in self.categories if c.id == category_id)

    def normalise(self, raw):
        if not isinstance(raw, Mapping):
            raise AnswerError(N_("That answer could not be read. Please choose again for each item."))
        if set(raw) - set(self.option_ids):
            raise AnswerError(N_("That answer names an item that is not in this question. Please choose again."))
        chosen = {k: v for k, v in raw.items() if v not in (None, "")}
        if any(not isinstance(v, str) or v not in self.category_ids for v in chosen.values()):
            raise AnswerError(N_("One of those choices is not among the options. Please choose again."))
        if len(chosen) < len(self.options):
            raise AnswerError(N_("Please choose a place for every item first."))
        return {i: chosen[i] for i in self.option_ids}

    def score(self, answer):
        return sum(answer[i] == self.key[i] for i in self.key) / len(self.key)

    def mark(self, answer):
        lines = tuple(Line(answer[o.id] == self.key[o.id], f"{o.text} → {self.category(answer[o.id]).text}",
                           o.feedback) for o in self.options)
        return Marked(self.score(answer), lines)

    def describe(self, answer):
        return "; ".join(f"{self.option(i).text} → {self.category(c).text}" for i, c in answer.items())


@dataclass(frozen=True)
class Reflection:
    """A short written answer with no automatic check (learntools' "thought experiment"): a person
    grades it against ``rubric``, which an edition for cohort learners withholds (``None``)."""

    id: str
    prompt: str
    hints: tuple[str, ...] = ()
    points: float = 0
    rubric: tuple[str, ...] | None = None  # what a strong answer includes, one criterion a line

    withheld_fields: ClassVar[tuple[str, ...]] = ("rubric",)
    SECTION: ClassVar[str] = "reflections"  # of the answers file

    @staticmethod
    def read(r: Reader, rid: str, keys: bool) -> Reflection:
        r.only("prompt", "hint", "points", *(Reflection.withheld_fields if keys else ()))
        return Reflection(id=rid, prompt=r.text("prompt"), hints=tuple(r.text_list("hint", required=False)),
                          points=r.number("points"), rubric=tuple(r.text_list("rubric")) if keys else None)

    def rubric_for_grader(self) -> str:
        """The rubric as graders read it (Markdown), in nbgrader's task cell and nowhere a learner looks."""
        one_each = len(self.rubric) == self.points
        lead = "Award one point for each:" if one_each else f"Award up to {self.points:g} points, looking for:"
        items = "\n".join(f"{n}. {c}" for n, c in enumerate(self.rubric, 1))
        return (f"**Rubric for the grader ({self.points:g} points).** {lead}\n\n{items}\n\n"
                "Do not take points off for spelling or grammar. If the learner included a person's name or other "
                "private details, give the points as earned and remind them privately not to share names.")

    @classmethod
    def withhold(cls, raw: dict) -> list[str]:
        """Take the rubric out of a reflection's raw data (in place); returns its lines."""
        taken = [raw.pop(f, None) for f in cls.withheld_fields]
        return [line for t in taken for line in ([t] if isinstance(t, str) else t or ()) if isinstance(line, str)]

    @property
    def store_key(self) -> str:
        return entry_key(self.SECTION, self.id)

    @classmethod
    def is_store_key(cls, key: str) -> bool:
        """Is ``key`` (from an answers file) a reflection's? The grader's checks read the file whole."""
        return key.startswith(entry_key(cls.SECTION, ""))

    @classmethod
    def answer_from(cls, value: object) -> str | None:
        """A saved value as the reflection's text, or ``None`` if nothing (readable) was written."""
        try:
            return cls.normalise(value)
        except AnswerError:
            return None

    def saved_in(self, store: ResponseStore) -> str | None:
        return self.answer_from(store.get(self.store_key))

    @staticmethod
    def normalise(raw: object) -> str:
        if not isinstance(raw, str):
            raise AnswerError(N_("Your reflection could not be read. Please type it again."))
        text = raw.strip()
        if not text:
            raise AnswerError(N_("Please write a few words before saving."))
        if len(text) > MAX_REFLECTION_CHARS:
            raise AnswerError(N_("Your reflection is {length:,} characters long. Please shorten it to {most:,} "
                                 "characters or fewer (a few sentences is plenty)."),
                              length=len(text), most=MAX_REFLECTION_CHARS)
        return text
