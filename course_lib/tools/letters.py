"""Letters a parent can send the school: the parent picks a letter, fills in a few boxes, and
gets a dated, plain letter that cites the rule it relies on, with a note (not for the school)
on where the state may differ and where to get help.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from .. import render, views
from ..documents import Document, fill, literal, typed
from ..modes import Mode
from .content import EntryError, Letter, Tools, clean
from .form import ToolView, env_today

NOTE_TITLE = "A note for you (do not send this part)"
MORE_TITLE = "More about this letter"


def format_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def missing_steps(letter: Letter, values: dict) -> list[str]:
    """Why the letter cannot be made yet: a step the parent must take first (the stay-put letter
    needs the date a due process complaint was filed, because the letter alone keeps nothing)."""
    return [why for box, why in letter.needs if not values.get(box)]


def compose_letter(tools: Tools, letter: Letter, values: dict, today: date) -> Document:
    """The letter and the note for the parent, from cleaned ``values``; :class:`EntryError` when a
    step must come first (:func:`missing_steps`), so no path makes such a letter."""
    if steps := missing_steps(letter, values):
        raise EntryError(" ".join(steps))
    v = {**values, "date": values.get("date") or format_date(today)}
    doc = Document(title=f"Letter: {letter.title}", slug=f"letter-{letter.id}-{today.isoformat()}")
    sender = [typed(v["parent_name"])] + ([typed(v["contact"])] if v.get("contact") else [])
    doc.add("lines", *sender)
    doc.add("para", typed(v["date"]))
    doc.add("lines", *[typed(v[box]) for box in letter.address if v.get(box)])
    doc.add("para", literal("Re: ") + fill(letter.subject, v) +
            (literal(" (date of birth: ") + typed(v["child_birth"]) + literal(")") if v.get("child_birth") else ()))
    dear = v.get(letter.address[0]) if len(letter.address) > 1 else ""  # a person at the place, if named
    doc.add("para", literal("Dear ") + typed(dear) + literal(",") if dear else "Dear Sir or Madam,")
    for paragraph in letter.body:
        if paragraph.applies(v):
            doc.add("para", fill(paragraph.text, v))
    for closing in tools.letter_closing:
        doc.add("para", closing)
    doc.add("lines", "Sincerely,", "", typed(v["parent_name"]))
    if letter.copy_to:
        doc.add("para", fill(letter.copy_to, v))
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
            date_box.value = format_date(self.today or env_today())
        self.fields_box.children = [self.box(fid) for fid in letter.fields]

