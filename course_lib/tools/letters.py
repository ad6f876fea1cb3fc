"""Letters a parent can send the school: the parent picks a letter, fills in a few boxes, and
gets a dated, plain letter that cites the rule it relies on, with a note (not for the school)
on where the state may differ and where to get help.

A letter reads as a person would write it, whatever was typed: "Dear Ms. Rivera," from the name
box alone (the job has a box of its own); dates from date pickers, written out ("November 12,
2026"); the child's full name once, then the name they go by; a sentence that ends with what the
parent typed ends with a full stop, and never with two.
"""

from __future__ import annotations

import re
from datetime import date

import ipywidgets as w

from .. import render, views
from ..documents import Document, Segments, fill, literal, typed
from ..modes import Mode
from .content import EntryError, Letter, Tools, clean, format_date
from .form import ToolView, env_today

NOTE_TITLE = "A note for you (do not send this part)"
MORE_TITLE = "More about this letter"


_CLOSERS = "\"'\u201d\u2019)]"


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS).endswith((".", "!", "?", "\u2026"))


def sentence(template: str, values: dict) -> Segments:
    """``template`` filled from ``values``, punctuated as a sentence: what the parent typed at the end
    of it gets a full stop if it has none, and one they typed already is not doubled by the letter's."""
    segs = [seg for seg in fill(template, values) if seg[0]]
    for i in range(len(segs) - 1):
        (text, was_typed), (after, after_typed) = segs[i], segs[i + 1]
        if was_typed and not after_typed and after.startswith(".") and _ends_sentence(text):
            segs[i + 1] = (after[1:], False)
    segs = [seg for seg in segs if seg[0]]
    if segs and segs[-1][1] and not _ends_sentence(segs[-1][0]):
        segs.append((".", False))
    return tuple(segs)


def salutation(values: dict) -> str:
    """Whom "Dear ..." names: the person's name as typed (without a "Dear" or a job typed after a
    comma), else their job ("Dear Principal,"), else nobody ("Dear Sir or Madam,")."""
    def bare(text: str) -> str:
        return re.sub(r"(?i)^\s*dear\s+", "", text or "").split(",")[0].strip(" .,;:")

    if name := bare(values.get("to_name", "")):
        return name
    job = re.sub(r"(?i)^the\s+", "", bare(values.get("to_title", "")))
    return job[:1].upper() + job[1:]


def child_called(values: dict) -> str:
    """The name a letter uses after the child's full name: the one the parent gave, else the first
    word of the full name (a name of one word, or in a script without spaces, stays whole)."""
    if values.get("child_called"):
        return values["child_called"]
    words = str(values.get("child_name", "")).split()
    return words[0] if len(words) > 1 else str(values.get("child_name", ""))


def _continuing(text: str) -> str:
    """A box that ends the letter's own sentence ("I asked the school to ..."): no second "to", and
    no capital letter mid-sentence (unless the word is all capitals, as OT)."""
    text = re.sub(r"(?i)^to\s+", "", text.strip())
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def _as_written(tools: Tools, letter: Letter, values: dict, today: date) -> dict:
    """The letter's values as its sentences use them: dates written out, the child's name after the
    first time, boxes that continue a sentence fitted into it."""
    v = {**values, "date": values.get("date") or today.isoformat()}
    for fid in ("to_name", "to_title"):  # "Dear ms. Rivera," typed in the name box: the address has no "Dear"
        if isinstance(v.get(fid), str):
            v[fid] = re.sub(r"(?i)^\s*dear\s+", "", v[fid]).strip(" ,;:")
    for fid in letter.fields:
        field = tools.fields[fid]
        if field.kind == "date":
            v[fid] = format_date(v.get(fid) or "")
        elif field.continues and isinstance(v.get(fid), str):
            v[fid] = _continuing(v[fid])
    v["child"] = child_called(v)
    return v


def date_problems(tools: Tools, letter: Letter, values: dict, today: date) -> list[str]:
    """Dates that cannot be right: one that must be past (when you asked, when you filed, a birth)
    after the letter's own date."""
    written = values.get("date") or today.isoformat()
    return [f"“{tools.fields[fid].label}” is after the date of this letter ({format_date(written)}). "
            "Please check it." for fid in letter.fields
            if tools.fields[fid].past and values.get(fid) and str(values[fid]) > written]


def missing_steps(letter: Letter, values: dict) -> list[str]:
    """Why the letter cannot be made yet: a step the parent must take first (the stay-put letter
    needs the date a due process complaint was filed, because the letter alone keeps nothing)."""
    return [why for box, why in letter.needs if not values.get(box)]


def compose_letter(tools: Tools, letter: Letter, values: dict, today: date) -> Document:
    """The letter and the note for the parent, from cleaned ``values``; :class:`EntryError` when a
    step must come first (:func:`missing_steps`), so no path makes such a letter."""
    if steps := missing_steps(letter, values):
        raise EntryError(" ".join(steps))
    v = _as_written(tools, letter, values, today)
    doc = Document(title=f"Letter: {letter.title}", slug=f"letter-{letter.id}-{today.isoformat()}")
    sender = [typed(v["parent_name"])] + ([typed(v["contact"])] if v.get("contact") else [])
    doc.add("lines", *sender)
    doc.add("para", typed(v["date"]))
    doc.add("lines", *[typed(v[box]) for box in letter.address if v.get(box)])
    doc.add("para", literal("Re: ") + fill(letter.subject, v) +
            (literal(" (date of birth: ") + typed(v["child_birth"]) + literal(")") if v.get("child_birth") else ()))
    dear = salutation(v)
    doc.add("para", literal("Dear ") + typed(dear) + literal(",") if dear else "Dear Sir or Madam,")
    for paragraph in letter.body:
        if paragraph.applies(values):
            doc.add("para", sentence(paragraph.text, v))
    for closing in tools.letter_closing:
        doc.add("para", closing)
    doc.add("lines", "Sincerely,", "", typed(v["parent_name"]))
    if letter.copy_to:
        doc.add("para", sentence(letter.copy_to, v))
    doc.add("note", NOTE_TITLE)
    if letter.attach:
        doc.add("heading", letter.attach_title)
        doc.add("checklist", *letter.attach)
    doc.add("heading", MORE_TITLE)
    doc.add("list", *letter.note)
    doc.add("heading", tools.help_title)
    for paragraph in tools.help:
        doc.add("para", paragraph)
    return doc


class LetterBuilder(ToolView):
    section = "letters"
    what = "your letter"
    printed = "Only your letter is printed, with the note for you on a page of its own."
    make_label = "Make my letter"

    def __init__(self, tools: Tools, store, mode: Mode, today: date | None = None):
        super().__init__(tools, store, mode)
        self.today = today
        letters = list(tools.letters.values())
        self.chooser = w.Dropdown(options=[(f"{n}. {letter.title}", letter.id) for n, letter in enumerate(letters, 1)],
                                  value=letters[0].id, description="Which letter?", layout=views.FULL_WIDTH)
        self.chooser.add_class("course-field")
        self.use_when = views.html()
        self.fields_box = w.VBox(layout=views.FULL_WIDTH)
        saved = self.saved()
        if saved.get("letter") in tools.letters:
            self.chooser.value = saved["letter"]
        self.restore()
        self._show_letter()
        self.chooser.observe(self._letter_chosen, names="value")
        self.widget = w.VBox([views.html(self.intro_html()), self.chooser, self.use_when, self.fields_box,
                              *self.widget_parts()], layout=views.FULL_WIDTH)
        self.widget.add_class("course-tool")

    def letter(self) -> Letter | None:
        return self.tools.letters.get(self.chooser.value) if isinstance(self.chooser.value, str) else None

    def fields(self):
        letter = self.letter()
        return [self.tools.fields[f] for f in letter.fields] if letter else []

    def extra_values(self):
        letter = self.letter()
        if letter is None:
            return {}, ["Please choose a letter from the list first."]
        given = {box: self._cleaned(box) for box, _why in letter.needs}
        return {"letter": self.chooser.value}, missing_steps(letter, given)

    def _cleaned(self, box: str) -> str | bool:
        try:
            return clean(self.tools.fields[box], self.box(box).value)
        except EntryError:
            return "unreadable"  # the box's own message says so; this step is not the problem

    def problems(self, values: dict) -> list[str]:
        return date_problems(self.tools, self.letter(), values, self.today or env_today())

    def compose(self, values: dict) -> Document:
        return compose_letter(self.tools, self.letter(), values, self.today or env_today())

    @views.safely
    def _letter_chosen(self, _change=None) -> None:
        self._show_letter()
        self._clear()
        self.status.value = ""

    def _show_letter(self) -> None:
        letter = self.letter()
        if letter is None:
            return
        self.use_when.value = (f"<p style='margin:0.3em 0 0.6em;max-width:40rem'><strong>Use it when:</strong> "
                               f"{render.md_inline(letter.use_when)}</p>")
        date_box = self.box("date")
        if not date_box.value:
            date_box.value = self.today or env_today()
        self.fields_box.children = [self.box(fid) for fid in letter.fields]

