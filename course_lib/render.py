"""Every piece of HTML the course shows is made here, so the look and the wording of feedback
live in one place: a self-check's feedback, a graded question's result (the same words in "Check
my lesson", in the web view and in the instructor's feedback page), notices and lists.

Lesson text is Markdown; anything a learner typed is escaped. Colours meet WCAG AA contrast on
their backgrounds, and right/wrong is never shown by colour alone (each line also says "Right" /
"Not quite" in words). Every word is a message of the catalogs (:mod:`course_lib.i18n`): each
function takes the page's language ``t`` (English by default).
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from importlib.resources import files

import mistune

from .i18n import ENGLISH, N_, Language

_markdown = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])

_BOX = {
    # kind: (text colour, background, border, word shown before the message)
    "info": ("#0b3d91", "#e8f0fe", "#0b3d91", ""),
    "right": ("#1b5e20", "#e8f5e9", "#1b5e20", N_("Right.")),
    "partly": ("#5d4037", "#fff3e0", "#8d6e63", N_("Partly right.")),
    "wrong": ("#8a1c1c", "#fdecea", "#8a1c1c", N_("Not quite.")),
    "warn": ("#5d4200", "#fff8e1", "#8a6d00", ""),
    "saved": ("#1b5e20", "#e8f5e9", "#1b5e20", N_("Saved.")),
    "draft": ("#5d4200", "#fff8e1", "#8a6d00", N_("Not saved yet.")),
}


@cache
def stylesheet() -> str:
    """The course's widget styles (``course.css``), shown once per page: options wrap instead of
    overlapping or being cut off, and touch targets are large enough on a phone."""
    return f"<style>{files('course_lib').joinpath('course.css').read_text(encoding='utf-8')}</style>"


def md(text: str) -> str:
    """Markdown (trusted lesson text) to HTML; raw HTML inside it is escaped."""
    return _markdown(text or "")


def md_inline(text: str) -> str:
    html = md(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def box(kind: str, body_html: str, role: str = "status", t: Language = ENGLISH) -> str:
    fg, bg, border, word = _BOX[kind]
    lead = f"<strong>{t._(word)}</strong> " if word else ""
    return (
        f'<div role="{role}" class="course-box course-{kind}" style="color:{fg};background:{bg};'
        f'border-left:4px solid {border};padding:0.5em 0.8em;margin:0.4em 0;line-height:1.45;'
        f'overflow-wrap:anywhere">{lead}{body_html}</div>'
    )


def message(kind: str, text: str, t: Language = ENGLISH) -> str:
    """A one-line notice from plain text (escaped), already in the page's language ``t``."""
    return box(kind, escape(text), t=t)


def verdict(fraction: float) -> str:
    return "right" if fraction == 1 else "partly" if fraction > 0 else "wrong"


def _lines(marked, t: Language) -> str:
    return "".join(
        f"<li><strong>{t._('Right:') if line.ok else t._('Not this one:')}</strong> {md_inline(line.chosen)}"
        f"{' — ' + md_inline(line.why) if line.why else ''}</li>"
        for line in marked.lines
    )


def _ul(items_html: str) -> str:
    return f"<ul style='margin:0.3em 0 0 1.2em;padding:0'>{items_html}</ul>"


def self_check(marked, reveal: bool = False, t: Language = ENGLISH) -> str:
    """Feedback for a practice question. On a first try, right options the learner missed are
    counted, not named, so ticking one box never gives the whole answer away; ``reveal`` (the
    learner asked for the answer) names them with their feedback."""
    body = _ul(_lines(marked, t))
    if marked.missed and not reveal:
        n = len(marked.missed)
        body += ("<p style='margin:0.3em 0'>" + t.ngettext(
            "One right answer is not chosen yet.", "{n} right answers are not chosen yet.", n) + " "
            + t._("Try again, or press <strong>{button}</strong>.", button=t._("Show the answer")) + "</p>")
    elif marked.missed:
        # "Also right" only beside a right choice; after a wrong one it would read as if that was right too
        some_right = any(line.ok for line in marked.lines)
        heading = t._("Also right:") if some_right else t._("The right answers:") if len(marked.missed) > 1 else \
            t._("The right answer:")
        body += f"<p style='margin:0.3em 0 0'><strong>{heading}</strong></p>" + _ul("".join(
            f"<li>{md_inline(o.text)}{' — ' + md_inline(o.feedback) if o.feedback else ''}</li>"
            for o in marked.missed))
    return box(verdict(marked.fraction), body, t=t)


def graded_result(question, answer, earned: float | None = None, problem: str = "", t: Language = ENGLISH) -> str:
    """One graded question, marked: the learner's answer, the right answer, why, and the points.
    ``answer`` is normalised, or ``None`` when nothing (readable) was saved; ``problem`` says why."""
    points = question.points
    if answer is None:
        earned = 0.0
        kind, said = "wrong", escape(problem or t._("No answer was saved for this question."))
        chosen = ""
    else:
        marked = question.mark(answer)
        earned = question.points_for(answer) if earned is None else earned
        kind, said = verdict(marked.fraction), ""
        if len(marked.lines) > 1:  # ticks or a sorting: which parts were right, and which not, in words
            chosen = f"<p style='margin:0.3em 0 0'><strong>{t._('Your answer:')}</strong></p>" + _ul("".join(
                f"<li><strong>{t._('Right') if line.ok else t._('Not right')}:</strong> {md_inline(line.chosen)}"
                f"{' — ' + md_inline(line.why) if line.why else ''}</li>" for line in marked.lines))
        else:
            notes = "".join(f"<li>{md_inline(line.why)}</li>" for line in marked.lines if line.why)
            chosen = (f"<p style='margin:0.3em 0 0'><strong>{t._('Your answer:')}</strong> "
                      f"{md_inline(question.describe(answer))}</p>" + (_ul(notes) if notes else ""))
    body = (f"{said}{chosen}<p style='margin:0.3em 0 0'><strong>{t._('Right answer:')}</strong> "
            f"{md_inline(question.describe(question.key))}</p>")
    if question.why:
        body += f"<p style='margin:0.3em 0 0'><strong>{t._('Why:')}</strong> {md_inline(question.why)}</p>"
    body += (f"<p style='margin:0.3em 0 0'><strong>{t._('Points:')}</strong> "
             f"{t._('{earned} of {points}', earned=format(earned, 'g'), points=format(points, 'g'))}</p>")
    return box(kind, body, t=t)


def strong_answer(reflection, t: Language = ENGLISH) -> str:
    """What a strong reflection includes, for a learner comparing their own answer."""
    return box("info", f"<strong>{t._('Compare your answer with what a strong answer includes:')}</strong>"
               + _ul("".join(f"<li>{md_inline(c)}</li>" for c in reflection.rubric)), t=t)


def bullet_list(items, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{md_inline(i)}</li>" for i in items) + f"</{tag}>"


def definitions(terms: dict[str, str]) -> str:
    rows = "".join(
        f"<dt><strong>{escape(t)}</strong></dt><dd style='margin:0 0 0.5em 1.2em'>{md_inline(d)}</dd>"
        for t, d in sorted(terms.items(), key=lambda kv: kv[0].lower())
    )
    return f"<dl>{rows}</dl>"


def number(n: int, t: Language = ENGLISH) -> str:
    """A count in words up to ten ("three questions"), in figures above."""
    return t.count(n)


def plain(text: str) -> str:
    """Lesson Markdown as one line of plain text (for printed output)."""
    return " ".join(text.replace("**", "").replace("*", "").split())


_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")


def learner_text(text: str) -> str:
    """Text a learner typed, as HTML that shows it as written: escaped, and without direction
    controls (a right-to-left override would make a reflection read backwards to its grader)."""
    return escape(_DIRECTION.sub("", text))
