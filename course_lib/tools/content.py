"""The tools' texts, read from ``tools.yaml`` in the tools folder, and what a parent types, cleaned.

The texts live in YAML so that someone who does not program can correct a letter. Loading
checks the file's shape and every ``{field}`` a paragraph names, so a typo is caught by the
author (``ToolsError``) and never reaches a parent as a half-filled letter.

In another language the words are those of ``tools.<language>.yaml``, over the same structure
(boxes, their kinds and limits, which letter asks for what, the rules cited), as a lesson's
translation is (:mod:`course_lib.translation`); its ``cells`` hold the tool notebooks' Markdown, by
cell id, from which the build writes ``letters.es.ipynb`` and the others. What a person types is
refused, when it cannot be used, with a :class:`~course_lib.i18n.Message`, said in the page's language.
"""

from __future__ import annotations

import contextlib
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from ..files import parse_yaml
from ..i18n import ENGLISH, N_, Language, Message
from ..i18n import language as language_of

TOOLS_FILE = "tools.yaml"
KINDS = ("line", "long", "tick", "date")  # a date box is a date picker: a date, never words like "at the meeting"
# Characters never kept from what a parent types: control characters (but new lines), lone
# surrogates (they cannot be written to a file) and the invisible marks that reorder text.
_UNSAFE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]")


# Names a letter may use that no box holds: made from the boxes (the child's name after the first time).
COMPUTED = {"child": "child_name"}


class ToolsError(ValueError):
    """``tools.yaml`` is not as the tools expect; the message names the place (for authors)."""


class EntryError(ValueError):
    """Something typed cannot be used; its :attr:`message` is a friendly :class:`~course_lib.i18n.Message` for the
    parent or aide (``str(err)``: in English), said in the page's language."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: str = "line"
    max: int = 200
    required: bool = False
    example: str = ""
    default: bool | str = ""
    lines: int = 0  # the most lines a long box takes (0: no limit), so a sheet fits its page
    past: bool = False  # a date that cannot be after the letter's own date (when you asked, when you filed)
    continues: bool = False  # a box that ends a sentence begun by the letter ("I asked the school to ..."):
    #                          its first word is not capitalised, and a "to" the parent typed is not doubled


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a letter, shown only ``if`` a box is filled in, or ``unless`` it is."""

    text: str
    only_if: str = ""
    unless: str = ""

    def applies(self, values: dict) -> bool:
        return (not self.only_if or bool(values.get(self.only_if))) and not (self.unless and values.get(self.unless))


@dataclass(frozen=True)
class Letter:
    id: str
    title: str
    use_when: str
    fields: tuple[str, ...]
    subject: str
    body: tuple[Paragraph, ...]
    cites: tuple[str, ...]
    note: tuple[str, ...]
    address: tuple[str, ...] = ("to_name", "to_title", "school")  # the boxes the letter is addressed to, in order
    copy_to: str = ""  # a line after the signature, such as who gets a copy at the same time
    attach_title: str = ""  # a checklist for the parent (not sent): what to attach and do
    attach: tuple[str, ...] = ()
    needs: tuple[tuple[str, str], ...] = ()  # (box, why): no letter at all while the box is empty


LETTER_KEYS = {"title", "use_when", "fields", "subject", "body", "cites", "note", "address", "copy_to", "attach",
               "needs"}


@dataclass
class Tools:
    fields: dict[str, Field]
    letters: dict[str, Letter]
    help_title: str
    help: tuple[str, ...]
    letter_closing: tuple[str, ...]
    meeting_sheet: dict
    data_sheet: dict
    strategy_card: dict
    first_week: dict
    letter_words: dict  # a letter's own words around what is typed: "Re:", "Dear {name},", "Sincerely,"
    in_my_language: dict  # the sentence a translated form may add to a letter: notices and meetings in the language
    language: str = ENGLISH.code  # the language of these words

    @property
    def t(self) -> Language:
        return language_of(self.language)

    def summaries(self) -> dict[str, str]:
        """What each tool makes, in a few words, by the name of the call that draws it
        (``tools.letter_builder()``): the course home and the README list the tools from here, so a
        new letter is counted and named everywhere at once."""
        letters = [t[:1].lower() + t[1:] for t in (letter.title for letter in self.letters.values())]
        t = self.t
        return {"letter_builder": t._("{count} letters to the school ({letters})", count=t.count(len(letters)),
                                      letters="; ".join(letters)),
                "meeting_sheet": self.meeting_sheet["title"], "data_sheet": self.data_sheet["title"],
                "strategy_card": self.strategy_card["title"], "first_week_checklist": self.first_week["title"]}


def template_names(text: str) -> list[str]:
    """The ``{field}`` names in a text."""
    try:
        return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ToolsError(f"a stray curly bracket in {text[:60]!r}: {exc}") from None


# What tools.yaml holds besides words: a translation (tools.<language>.yaml) never holds these. A dotted entry is a
# place (translation.is_structure): "fields" at the top holds the boxes' labels, in a letter or sheet it lists boxes.
TOOLS_STRUCTURE = frozenset({"kind", "max", "required", "lines", "default", "past", "continues", "if", "unless",
                             "field", "from_lesson", "lesson", "answer", "cites", "address", "contacts", "covers",
                             "most_questions", "notes_lines", "tries", "row_choices", "rows", "letters.*.fields",
                             "meeting_sheet.fields", "data_sheet.fields", "strategy_card.fields"})


def translation_name(language: str) -> str:
    return f"tools.{language}.yaml"


def _read(folder: Path) -> dict:
    path = folder / TOOLS_FILE
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ToolsError(f"{path} could not be read: {exc}") from None
    if not isinstance(data, dict):
        raise ToolsError(f"{path} is not a mapping")
    return data


def load_tools(folder: str | Path | None = None, language: str | None = None) -> Tools:
    """The tools of ``folder``; in another ``language``, with the words of its ``tools.<language>.yaml``,
    an overlay of words on ``tools.yaml`` like a lesson's (:mod:`course_lib.translation`). A bilingual
    letter is the same letter made from the tools in each language (the English one to send)."""
    folder = Path(folder) if folder is not None else Path.cwd()
    path = folder / TOOLS_FILE
    data = _read(folder)
    if language and language != ENGLISH.code:
        from ..reader import LessonError
        from ..translation import load_translation, translate

        name = translation_name(language)
        try:
            words = {k: v for k, v in load_translation(folder, language, name).items() if k != "cells"}  # the build's
            data, _cells = translate(data, {}, words, str(folder / name), structure=TOOLS_STRUCTURE)
        except LessonError as exc:
            raise ToolsError(str(exc)) from None
    try:
        fields = {fid: _field(fid, spec) for fid, spec in data["fields"].items()}
        letters = {lid: _letter(lid, spec) for lid, spec in data["letters"].items()}
        tools = Tools(fields=fields, letters=letters, help_title=data["help"]["title"],
                      help=tuple(data["help"]["paragraphs"]), letter_closing=tuple(data["letter_closing"]),
                      meeting_sheet=data["meeting_sheet"], data_sheet=data["data_sheet"],
                      strategy_card=data["strategy_card"], first_week=data["first_week"],
                      letter_words=data["letter_words"], in_my_language=data["in_my_language"],
                      language=language or ENGLISH.code)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ToolsError(f"{path}: a part is missing or of the wrong kind ({exc!r})") from None
    _check_names(tools)
    return tools


def notebook_cells(folder: Path) -> dict[str, str]:
    """The Markdown cells of the tools' notebooks in ``folder`` (English, ``letters.ipynb``...), by cell
    id: the prose a translation's ``cells`` replaces. Ids are unique across the notebooks."""
    from ..translation import notebook_cells as cells_of

    cells: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb")):
        if "." in path.stem:
            continue  # a notebook in another language (letters.es.ipynb), made by the build
        for cell_id, text in cells_of(path).items():
            if cell_id in cells:
                raise ToolsError(f"{path.name}: cell id {cell_id!r} is also in another tools notebook: give it "
                                 "an id of its own (a translation names cells by id)")
            cells[cell_id] = text
    return cells


def translation_problems(folder: str | Path, language: str) -> list[str]:
    """Whatever keeps ``tools.<language>.yaml`` from being a whole translation of the tools: their words
    and the notebooks' Markdown cells (what ``course check`` says)."""
    from ..reader import LessonError
    from ..translation import load_translation, problems

    folder = Path(folder)
    name = translation_name(language)
    try:
        found = problems(_read(folder), notebook_cells(folder), load_translation(folder, language, name),
                         f"tools/{name}", TOOLS_STRUCTURE)
        if not found:
            load_tools(folder, language)
    except (LessonError, ToolsError) as exc:
        return [str(exc)]
    return found


def _field(fid: str, spec: dict) -> Field:
    unknown = set(spec) - {"label", "kind", "max", "required", "example", "default", "lines", "past", "continues"}
    if unknown:
        raise ToolsError(f"field {fid!r}: unknown keys {sorted(unknown)}")
    f = Field(id=fid, **spec)
    if f.kind not in KINDS or not (0 < f.max <= 5000):
        raise ToolsError(f"field {fid!r}: kind must be one of {KINDS} and max between 1 and 5000")
    return f


def _letter(lid: str, spec: dict) -> Letter:
    unknown = set(spec) - LETTER_KEYS
    if unknown:
        raise ToolsError(f"letter {lid!r}: unknown keys {sorted(unknown)}")
    body = tuple(Paragraph(p) if isinstance(p, str) else
                 Paragraph(p["text"], only_if=p.get("if", ""), unless=p.get("unless", ""))
                 for p in spec["body"])
    attach = spec.get("attach") or {"title": "", "items": []}
    return Letter(id=lid, title=spec["title"], use_when=spec["use_when"], fields=tuple(spec["fields"]),
                  subject=spec["subject"], body=body, cites=tuple(spec["cites"]), note=tuple(spec["note"]),
                  address=tuple(spec.get("address", Letter.address)), copy_to=spec.get("copy_to", ""),
                  attach_title=attach["title"], attach=tuple(attach["items"]),
                  needs=tuple((n["field"], n["why"]) for n in spec.get("needs", ())))


def _check_names(tools: Tools) -> None:
    """Every box a tool names exists, and every ``{name}`` in a letter is one of its boxes."""
    for letter in tools.letters.values():
        boxes = set(letter.fields)
        missing = boxes - set(tools.fields)
        texts = [letter.subject, letter.copy_to] + [p.text for p in letter.body]
        used = ({n for t in texts for n in template_names(t)} | {n for p in letter.body for n in (p.only_if, p.unless)}
                | set(letter.address) | {box for box, _why in letter.needs})
        used.discard("")
        wrong = sorted(missing | (used - boxes - set(COMPUTED)))
        if wrong:
            raise ToolsError(f"letter {letter.id!r}: boxes not defined or not asked for: {wrong}")
        if not {"parent_name", "child_name", "school", "date"} <= boxes:
            raise ToolsError(f"letter {letter.id!r} must ask for parent_name, child_name, school and date")
    sheet_boxes = (tools.meeting_sheet["fields"] + tools.data_sheet["fields"] + list(tools.data_sheet["measures"])
                   + tools.strategy_card["fields"] + tools.first_week["contacts"]
                   + ["own_questions", "own_invite", "own_bring"])
    missing = set(sheet_boxes) - set(tools.fields)
    if missing:
        raise ToolsError(f"the sheets name boxes that are not defined: {sorted(missing)}")


# -- what people type ----------------------------------------------------------------------------
def clean(f: Field, raw: object) -> str | bool:
    """The value of box ``f`` made safe to keep and print, or :class:`EntryError`.

    A browser can send anything to the kernel, so the type is checked too. Text that is too long
    is refused with its length and the limit, never cut without a word.
    """
    if f.kind == "tick":
        if not isinstance(raw, bool):
            raise EntryError(Message.of(N_("The tick box “{label}” could not be read. Please tick it again."),
                                        label=f.label))
        return raw
    if f.kind == "date":
        return _clean_date(f, raw)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise EntryError(Message.of(N_("The box “{label}” could not be read. Please type it again."), label=f.label))
    text = unicodedata.normalize("NFC", _UNSAFE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")))
    text = text.replace("\t", " ")
    text = "\n".join(line.strip() for line in text.split("\n")).strip() if f.kind == "long" else " ".join(text.split())
    if len(text) > f.max:
        raise EntryError(Message.of(N_("The box “{label}” has {length} characters. Please shorten it to {most} "
                                       "characters or fewer."), label=f.label, length=f"{len(text):,}",
                                    most=f"{f.max:,}"))
    if f.lines and text.count("\n") + 1 > f.lines:
        raise EntryError(Message.of(N_("The box “{label}” has {n} lines. Please keep it to {most} lines or fewer, so "
                                       "that it fits on the page."), label=f.label, n=text.count("\n") + 1,
                                    most=f.lines))
    return text


def _clean_date(f: Field, raw: object) -> str:
    """A date box's value as ``YYYY-MM-DD`` ("" when empty): a date from the date picker, or such a
    string (from the answers file, or a browser that sends anything)."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, str) and len(raw) <= 20:
        with contextlib.suppress(ValueError):
            raw = date.fromisoformat(raw.strip())
    if not isinstance(raw, date):
        raise EntryError(Message.of(N_("The date “{label}” could not be read. Please choose it again."),
                                    label=f.label))
    if not 1900 <= raw.year <= 2100:
        raise EntryError(Message.of(N_("Please check the year in “{label}”: {year} cannot be right."), label=f.label,
                                    year=raw.year))
    return raw.isoformat()


def format_date(value: object, t: Language = ENGLISH) -> str:
    """A date box's value as a letter writes it ("November 12, 2026"; "12 de noviembre de 2026"); anything
    else as it is."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if isinstance(day, date):
        return t.date(day)
    return "" if value is None else str(value)


def clean_all(fields: list[Field], raw: dict) -> tuple[dict, list[Message]]:
    """Clean every box; returns the values and a friendly message per box that was refused."""
    values, problems = {}, []
    for f in fields:
        try:
            values[f.id] = clean(f, raw.get(f.id, False if f.kind == "tick" else None if f.kind == "date" else ""))
        except EntryError as exc:
            problems.append(exc.message)
    missing = [f.label for f in fields if f.required and f.id in values and not values[f.id]]
    if missing:
        problems.append(Message.of(N_("Please fill in: {boxes}."), boxes=", ".join(missing)))
    return values, problems


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a long box (one question or one item on each line)."""
    return [line.strip(" -•*\t") for line in (text or "").split("\n") if line.strip(" -•*\t")]
