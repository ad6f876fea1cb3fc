"""What counts as an answer, and how it is marked: plain functions, no widgets.

Everything a learner sends is untrusted: a value can arrive from a browser in the web view,
or from an edited answers file. ``normalise`` turns it into one canonical form or raises
:class:`AnswerError` with a message written for the learner. Self-checks and the nbgrader
hidden tests both mark through :func:`score`, so practice and grading never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .content import Question

MAX_REFLECTION_CHARS = 5000


class AnswerError(ValueError):
    """An answer that cannot be accepted; ``str(err)`` is a friendly message for the learner."""


def normalise(question: Question, raw: object):
    """Return the canonical answer: an id (single), a tuple of ids (multiple) or a dict (sort)."""
    if question.kind == "single":
        if raw is None or raw == "":
            raise AnswerError("Please choose an answer first.")
        if not isinstance(raw, str) or raw not in question.option_ids:
            raise AnswerError("That answer is not one of the choices. Please choose again.")
        return raw
    if question.kind == "multiple":
        if isinstance(raw, str) or not isinstance(raw, (list, tuple, set, frozenset)):
            raise AnswerError("That answer could not be read. Please tick your choices again.")
        if not raw:
            raise AnswerError("Please tick at least one box first.")
        if any(not isinstance(v, str) or v not in question.option_ids for v in raw):
            raise AnswerError("One of those answers is not among the choices. Please tick again.")
        return tuple(i for i in question.option_ids if i in raw)
    # sort
    if not isinstance(raw, Mapping):
        raise AnswerError("That answer could not be read. Please choose again for each item.")
    if set(raw) - set(question.option_ids):
        raise AnswerError("That answer names an item that is not in this question. Please choose again.")
    chosen = {k: v for k, v in raw.items() if v not in (None, "")}
    if any(not isinstance(v, str) or v not in question.category_ids for v in chosen.values()):
        raise AnswerError("One of those choices is not among the options. Please choose again.")
    if len(chosen) < len(question.options):
        raise AnswerError("Please choose a place for every item first.")
    return {i: chosen[i] for i in question.option_ids}


def normalise_reflection(raw: object) -> str:
    if not isinstance(raw, str):
        raise AnswerError("Your reflection could not be read. Please type it again.")
    text = raw.strip()
    if not text:
        raise AnswerError("Please write a few words before saving.")
    if len(text) > MAX_REFLECTION_CHARS:
        raise AnswerError(
            f"Your reflection is {len(text):,} characters long. Please shorten it to "
            f"{MAX_REFLECTION_CHARS:,} characters or fewer (a few sentences is plenty)."
        )
    return text


def check_key(question: Question, key: object):
    """Validate an answer key written by an instructor; raises ``ValueError`` naming the problem."""
    try:
        value = normalise(question, list(key) if question.kind == "multiple" else key)
    except AnswerError as exc:
        raise ValueError(f"The answer key for question {question.id!r} is not valid: {exc}") from None
    return value


def score(question: Question, answer: object, key: object) -> float:
    """Fraction of credit in [0, 1]; both arguments must already be normalised.

    Multiple choice: right ticks minus wrong ticks, over the number of right options,
    never below zero (ticking every box earns nothing). Sort: share of items placed right.
    """
    if question.kind == "single":
        return 1.0 if answer == key else 0.0
    if question.kind == "multiple":
        right, picked = set(key), set(answer)
        return max(0.0, (len(picked & right) - len(picked - right)) / len(right))
    return sum(answer[i] == key[i] for i in key) / len(key)


def self_check_key(question: Question):
    """The key of a self-check, taken from its data (self-checks ship their answers)."""
    if question.kind == "single":
        return next(o.id for o in question.options if o.correct)
    if question.kind == "multiple":
        return tuple(o.id for o in question.options if o.correct)
    return {o.id: o.answer for o in question.options}


@dataclass(frozen=True)
class Marked:
    """The marking of one answer, ready to show: overall fraction and one line per part."""

    fraction: float
    lines: tuple[tuple[bool, str, str], ...]  # (right?, what the learner chose, why)


def mark_self_check(question: Question, answer) -> Marked:
    key = self_check_key(question)
    if question.kind == "single":
        chosen = question.option(answer)
        lines = ((answer == key, chosen.text, chosen.feedback),)
    elif question.kind == "multiple":
        # Ticked options, plus right ones the learner missed: each with its own feedback.
        lines = tuple(
            (o.id in answer and o.correct, o.text if o.id in answer else f"Not ticked: {o.text}", o.feedback)
            for o in question.options
            if o.id in answer or o.correct
        )
    else:
        cats = {c.id: c.text for c in question.categories}
        lines = tuple(
            (answer[o.id] == o.answer, f"{o.text} → {cats[answer[o.id]]}", o.feedback) for o in question.options
        )
    return Marked(fraction=score(question, answer, key), lines=lines)
