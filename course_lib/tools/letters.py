"""Letters a parent can send the school: the parent picks a letter, fills in a few boxes, and
gets a dated, plain letter that cites the rule it relies on, with a note (not for the school)
on where the state may differ and where to get help.

A letter reads as a person would write it, whatever was typed: "Dear Ms. Rivera," from the name
box alone (the job has a box of its own); dates from date pickers, written out ("November 12,
2026"); the child's full name once, then the name they go by; a sentence that ends with what the
parent typed ends with a full stop, and never with two.

**In another language** the parent fills the form in their language and gets the letter to send in
English, what the school's staff read, with the same letter in their language after it, for them
(:func:`compose_bilingual_letter`), and the note for them in their language. A tick box (ticked at
first) adds a sentence to both: notices in their language and an interpreter at IEP meetings
(34 CFR 300.503(c), 300.322(e)). The downloads and the printable page carry both.
"""

from __future__ import annotations

import re
from datetime import date

import ipywidgets as w

from .. import render, views
from ..documents import Document, Segments, fill, literal, typed
from ..i18n import ENGLISH, N_, Message
from ..i18n import language as language_of
from ..modes import Mode
from .content import EntryError, Field, Letter, Tools, clean, format_date
from .form import ToolView, env_today

NOTE_TITLE = N_("A note for you (do not send this part)")
MORE_TITLE = N_("More about this letter")
COPY_TITLE = N_("The same letter in {language}, for you (do not send this part)")
IN_MY_LANGUAGE = "in_my_language"  # the tick box a form in another language adds to every letter

BOTH_LANGUAGES = N_("You fill in the boxes in your language. You get the letter to send in English, the language the "
                    "school's staff read, and after it the same letter in your language, so you know what it says. "
                    "What you type goes into both letters as you type it: if you can, write the longer boxes in "
                    "English, or ask your Parent Center for help.")


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


def _words(text: str) -> str:
    """Space-separated words as a regular expression's alternatives ("dear" → ``dear``)."""
    return "|".join(re.escape(word) for word in str(text).split()) or "(?!)"


def salutation(values: dict, *tools: Tools) -> str:
    """Whom "Dear ..." names: the person's name as typed (without a greeting such as "Dear", or a job
    typed after a comma), else their job ("Dear Principal,"), else nobody ("Dear Sir or Madam,"). The
    greetings and articles left out are those of each of ``tools`` (English's when none)."""
    greetings = "|".join(_words(each.letter_words["greetings"]) for each in tools) or "dear"
    articles = "|".join(_words(each.letter_words["articles"]) for each in tools) or "the"

    def bare(text: str) -> str:
        return re.sub(rf"(?i)^\s*(?:{greetings})\s+", "", text or "").split(",")[0].strip(" .,;:")

    if name := bare(values.get("to_name", "")):
        return name
    job = re.sub(rf"(?i)^(?:{articles})\s+", "", bare(values.get("to_title", "")))
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


def without_greeting(values: dict, *tools: Tools) -> dict:
    """``values`` with a greeting typed in a name box taken off ("Dear ms. Rivera," or "Estimada Sra.
    Rivera"), in the words of each of ``tools``: the address has no "Dear"."""
    greetings = "|".join(_words(each.letter_words["greetings"]) for each in tools)
    v = dict(values)
    for fid in ("to_name", "to_title"):
        if isinstance(v.get(fid), str):
            v[fid] = re.sub(rf"(?i)^\s*(?:{greetings})\s+", "", v[fid]).strip(" ,;:")
    return v


def _as_written(tools: Tools, letter: Letter, values: dict, today: date) -> dict:
    """The letter's values as its sentences use them: dates written out, the child's name after the
    first time, boxes that continue a sentence fitted into it."""
    v = without_greeting({**values, "date": values.get("date") or today.isoformat()}, tools)
    for fid in letter.fields:
        field = tools.fields[fid]
        if field.kind == "date":
            v[fid] = format_date(v.get(fid) or "", tools.t)
        elif field.continues and isinstance(v.get(fid), str):
            v[fid] = _continuing(v[fid])
    v["child"] = child_called(v)
    return v


def date_problems(tools: Tools, letter: Letter, values: dict, today: date) -> list[Message]:
    """Dates that cannot be right: one that must be past (when you asked, when you filed, a birth)
    after the letter's own date."""
    written = values.get("date") or today.isoformat()
    return [Message.of(N_("“{label}” is after the date of this letter ({day}). Please check it."),
                       label=tools.fields[fid].label, day=format_date(written, tools.t)) for fid in letter.fields
            if tools.fields[fid].past and values.get(fid) and str(values[fid]) > written]


def missing_steps(letter: Letter, values: dict) -> list[str]:
    """Why the letter cannot be made yet: a step the parent must take first (the stay-put letter
    needs the date a due process complaint was filed, because the letter alone keeps nothing)."""
    return [why for box, why in letter.needs if not values.get(box)]


def language_name(code: str, tools: Tools) -> str:
    """The name of the language ``code`` in the words of ``tools`` ("Spanish"; "español")."""
    return language_of(code).name_in(tools.language)


def _add_letter(doc: Document, tools: Tools, letter: Letter, values: dict, today: date,
                native: str | None = None, other: Tools | None = None) -> None:
    """The letter itself, to its signature (and the line saying who gets a copy); with the sentence
    asking for the ``native`` language, when its box is ticked. ``other``: the tools in the language of
    the other letter beside it, whose words a parent may have typed too ("the principal", "la directora")."""
    words, v = tools.letter_words, _as_written(tools, letter, values, today)
    sender = [typed(v["parent_name"])] + ([typed(v["contact"])] if v.get("contact") else [])
    doc.add("lines", *sender)
    doc.add("para", typed(v["date"]))
    doc.add("lines", *[typed(v[box]) for box in letter.address if v.get(box)])
    doc.add("para", literal(words["re"] + " ") + fill(letter.subject, v) +
            (literal(f" ({words['born']}: ") + typed(v["child_birth"]) + literal(")") if v.get("child_birth") else ()))
    dear = salutation(v, tools, *([other] if other else []))
    doc.add("para", fill(words["dear"], {"name": dear}) if dear else words["nobody"])
    asks = bool(native) and values.get(IN_MY_LANGUAGE) is True
    covered = set(tools.in_my_language.get("covers") or ()) if asks else set()  # said by the sentence instead
    for paragraph in letter.body:
        if paragraph.applies(values) and paragraph.only_if not in covered:
            doc.add("para", sentence(paragraph.text, v))
    if asks:
        doc.add("para", sentence(tools.in_my_language["text"], {**v, "language": language_name(native, tools)}))
    for closing in tools.letter_closing:
        doc.add("para", closing)
    doc.add("lines", words["sincerely"], "", typed(v["parent_name"]))
    if letter.copy_to:
        doc.add("para", sentence(letter.copy_to, v))


def _add_note(doc: Document, tools: Tools, letter: Letter) -> None:
    """The note for the parent, on a page of its own: what to attach, more about the letter, where to get help."""
    t = tools.t
    doc.add("note", t._(NOTE_TITLE))
    if letter.attach:
        doc.add("heading", letter.attach_title)
        doc.add("checklist", *letter.attach)
    doc.add("heading", t._(MORE_TITLE))
    doc.add("list", *letter.note)
    doc.add("heading", tools.help_title)
    for paragraph in tools.help:
        doc.add("para", paragraph)


def _check_steps(letter: Letter, values: dict) -> None:
    if steps := missing_steps(letter, values):
        raise EntryError(Message.of(" ".join(steps)))


def compose_letter(tools: Tools, letter: Letter, values: dict, today: date, native: str | None = None) -> Document:
    """The letter and the note for the parent, from cleaned ``values``, in the language of ``tools``;
    :class:`EntryError` when a step must come first (:func:`missing_steps`), so no path makes such a
    letter. ``native``: the parent's language, which the letter asks for when its box is ticked."""
    _check_steps(letter, values)
    doc = Document(title=tools.t._("Letter: {title}", title=letter.title),
                   slug=f"letter-{letter.id}-{today.isoformat()}", language=tools.language)
    _add_letter(doc, tools, letter, values, today, native)
    _add_note(doc, tools, letter)
    return doc


def compose_bilingual_letter(english: Tools, tools: Tools, letter_id: str, values: dict, today: date) -> Document:
    """The letter to send, in English (``english``'s words), then the same letter in the language of
    ``tools``, for the parent, on a page of its own, and the note for them in their language."""
    letter, sent, t = tools.letters[letter_id], english.letters[letter_id], tools.t
    _check_steps(letter, values)
    values = without_greeting(values, english, tools)
    doc = Document(title=t._("Letter: {title}", title=letter.title), slug=f"letter-{letter_id}-{today.isoformat()}",
                   language=tools.language)
    doc.add("language-start", english.language)
    _add_letter(doc, english, sent, values, today, tools.language, tools)
    doc.add("language-end")
    doc.add("note", t._(COPY_TITLE, language=language_name(tools.language, tools)))
    _add_letter(doc, tools, letter, values, today, tools.language, english)
    _add_note(doc, tools, letter)
    return doc


class LetterBuilder(ToolView):
    section = "letters"
    what = N_("your letter")
    printed = N_("Only your letter is printed, with the note for you on a page of its own.")
    make_label = N_("Make my letter")

    def __init__(self, tools: Tools, store, mode: Mode, today: date | None = None, english: Tools | None = None):
        """``english``: the tools in English, for the letter to send, when ``tools`` are in another language."""
        super().__init__(tools, store, mode)
        self.today = today
        self.english = None if tools.language == ENGLISH.code else english
        if tools.language != ENGLISH.code and english is None:
            raise ValueError("a letter builder in another language needs the tools in English too, for the letter "
                             "to send")
        if self.english is not None:
            self.printed = N_("Your letter in English is printed, then the same letter in your language, then the "
                              "note for you, each on a page of its own.")
        t = self.t
        letters = list(tools.letters.values())
        self.chooser = w.Dropdown(options=[(f"{n}. {letter.title}", letter.id) for n, letter in enumerate(letters, 1)],
                                  value=letters[0].id, description=t._("Which letter?"), layout=views.FULL_WIDTH)
        self.chooser.add_class("course-field")
        self.use_when = views.html()
        self.fields_box = w.VBox(layout=views.FULL_WIDTH)
        saved = self.saved()
        if saved.get("letter") in tools.letters:
            self.chooser.value = saved["letter"]
        self.restore()
        self._show_letter()
        self.chooser.observe(self._letter_chosen, names="value")
        if self.english is not None:
            self.box(IN_MY_LANGUAGE).observe(self._boxes_changed, names="value")
        intro = self.intro_html() + (render.message("info", t._(BOTH_LANGUAGES)) if self.english else "")
        self.widget = w.VBox([views.html(intro), self.chooser, self.use_when, self.fields_box,
                              *self.widget_parts()], layout=views.FULL_WIDTH)
        self.widget.add_class("course-tool")

    def letter(self) -> Letter | None:
        return self.tools.letters.get(self.chooser.value) if isinstance(self.chooser.value, str) else None

    def field_of(self, fid: str) -> Field:
        if fid == IN_MY_LANGUAGE and self.english is not None:  # the box a form in another language adds, ticked
            label = self.tools.in_my_language["label"].format(language=language_name(self.tools.language, self.tools))
            return Field(id=IN_MY_LANGUAGE, label=label, kind="tick", default=True)
        return super().field_of(fid)

    def fields(self):
        """The letter's boxes; on a form in another language, the box asking for that language too, and
        while it is ticked, not the boxes that would ask for the same."""
        letter = self.letter()
        if not letter:
            return []
        if self.english is None:
            return [self.field_of(f) for f in letter.fields]
        asked = self.box(IN_MY_LANGUAGE).value is True
        covered = set(self.tools.in_my_language.get("covers") or ()) if asked else set()
        return [self.field_of(f) for f in letter.fields if f not in covered] + [self.field_of(IN_MY_LANGUAGE)]

    def extra_values(self):
        letter = self.letter()
        if letter is None:
            return {}, [Message.of(N_("Please choose a letter from the list first."))]
        given = {box: self._cleaned(box) for box, _why in letter.needs}
        return {"letter": self.chooser.value}, [Message.of(why) for why in missing_steps(letter, given)]

    def _cleaned(self, box: str) -> str | bool:
        try:
            return clean(self.tools.fields[box], self.box(box).value)
        except EntryError:
            return "unreadable"  # the box's own message says so; this step is not the problem

    def problems(self, values: dict) -> list[Message]:
        return date_problems(self.tools, self.letter(), values, self.today or env_today())

    def compose(self, values: dict) -> Document:
        today = self.today or env_today()
        if self.english is not None:
            return compose_bilingual_letter(self.english, self.tools, self.letter().id, values, today)
        return compose_letter(self.tools, self.letter(), values, today)

    @views.safely
    def _boxes_changed(self, _change=None) -> None:
        self._show_letter()

    @views.safely
    def _letter_chosen(self, _change=None) -> None:
        self._show_letter()
        self._clear()
        self.status.value = ""

    def _show_letter(self) -> None:
        letter = self.letter()
        if letter is None:
            return
        self.use_when.value = (f"<p style='margin:0.3em 0 0.6em;max-width:40rem'><strong>{self.t._('Use it when:')}"
                               f"</strong> {render.md_inline(letter.use_when)}</p>")
        date_box = self.box("date")
        if not date_box.value:
            date_box.value = self.today or env_today()
        self.fields_box.children = [self.box(f.id) for f in self.fields()]

