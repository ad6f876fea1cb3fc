"""The tools' texts, read from ``tools.yaml`` in the tools folder, and what a parent types, cleaned.

The texts live in YAML so that someone who does not program can correct a letter. Loading
checks the file's shape and every ``{field}`` a paragraph names, so a typo is caught by the
author (``ToolsError``) and never reaches a parent as a half-filled letter.
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

from ..render import number

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
    """Something typed cannot be used; ``str(err)`` is a friendly message for the parent or aide."""


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

    def summaries(self) -> dict[str, str]:
        """What each tool makes, in a few words, by the name of the call that draws it
        (``tools.letter_builder()``): the course home and the README list the tools from here, so a
        new letter is counted and named everywhere at once."""
        letters = [t[:1].lower() + t[1:] for t in (letter.title for letter in self.letters.values())]
        return {"letter_builder": f"{number(len(letters))} letters to the school ({'; '.join(letters)})",
                "meeting_sheet": self.meeting_sheet["title"], "data_sheet": self.data_sheet["title"],
                "strategy_card": self.strategy_card["title"], "first_week_checklist": self.first_week["title"]}


def template_names(text: str) -> list[str]:
    """The ``{field}`` names in a text."""
    try:
        return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ToolsError(f"a stray curly bracket in {text[:60]!r}: {exc}") from None


# What tools.yaml holds besides words: a translation (tools.<language>.yaml) never holds these.
TOOLS_STRUCTURE = frozenset({"kind", "max", "required", "lines", "default", "if", "unless", "field", "lesson",
                             "answer"})


def load_tools(folder: str | Path | None = None, language: str | None = None) -> Tools:
    """The tools of ``folder``; in another ``language``, with the words of its ``tools.<language>.yaml``,
    an overlay of words on ``tools.yaml`` like a lesson's (:mod:`course_lib.translation`). A bilingual
    letter is the same letter made from the tools in each language (the English one to send)."""
    folder = Path(folder) if folder is not None else Path.cwd()
    path = folder / TOOLS_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ToolsError(f"{path} could not be read: {exc}") from None
    if not isinstance(data, dict):
        raise ToolsError(f"{path} is not a mapping")
    if language and language != "en":
        from ..reader import LessonError
        from ..translation import load_translation, translate

        name = f"tools.{language}.yaml"
        try:
            data, _cells = translate(data, {}, load_translation(folder, language, name), str(folder / name),
                                     structure=TOOLS_STRUCTURE)
        except LessonError as exc:
            raise ToolsError(str(exc)) from None
    try:
        fields = {fid: _field(fid, spec) for fid, spec in data["fields"].items()}
        letters = {lid: _letter(lid, spec) for lid, spec in data["letters"].items()}
        tools = Tools(fields=fields, letters=letters, help_title=data["help"]["title"],
                      help=tuple(data["help"]["paragraphs"]), letter_closing=tuple(data["letter_closing"]),
                      meeting_sheet=data["meeting_sheet"], data_sheet=data["data_sheet"],
                      strategy_card=data["strategy_card"], first_week=data["first_week"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise ToolsError(f"{path}: a part is missing or of the wrong kind ({exc!r})") from None
    _check_names(tools)
    return tools


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
            raise EntryError(f"The tick box “{f.label}” could not be read. Please tick it again.")
        return raw
    if f.kind == "date":
        return _clean_date(f, raw)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise EntryError(f"The box “{f.label}” could not be read. Please type it again.")
    text = unicodedata.normalize("NFC", _UNSAFE.sub("", raw.replace("\r\n", "\n").replace("\r", "\n")))
    text = text.replace("\t", " ")
    text = "\n".join(line.strip() for line in text.split("\n")).strip() if f.kind == "long" else " ".join(text.split())
    if len(text) > f.max:
        raise EntryError(f"The box “{f.label}” has {len(text):,} characters. Please shorten it to "
                         f"{f.max:,} characters or fewer.")
    if f.lines and text.count("\n") + 1 > f.lines:
        raise EntryError(f"The box “{f.label}” has {text.count(chr(10)) + 1} lines. Please keep it to "
                         f"{f.lines} lines or fewer, so that it fits on the page.")
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
        raise EntryError(f"The date “{f.label}” could not be read. Please choose it again.")
    if not 1900 <= raw.year <= 2100:
        raise EntryError(f"Please check the year in “{f.label}”: {raw.year} cannot be right.")
    return raw.isoformat()


def format_date(value: object) -> str:
    """A date box's value as a letter writes it ("November 12, 2026"); anything else as it is."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if isinstance(day, date):
        return f"{day:%B} {day.day}, {day.year}"
    return "" if value is None else str(value)


def clean_all(fields: list[Field], raw: dict) -> tuple[dict, list[str]]:
    """Clean every box; returns the values and a friendly message per box that was refused."""
    values, problems = {}, []
    for f in fields:
        try:
            values[f.id] = clean(f, raw.get(f.id, False if f.kind == "tick" else None if f.kind == "date" else ""))
        except EntryError as exc:
            problems.append(str(exc))
    missing = [f.label for f in fields if f.required and f.id in values and not values[f.id]]
    if missing:
        problems.append("Please fill in: " + ", ".join(missing) + ".")
    return values, problems


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a long box (one question or one item on each line)."""
    return [line.strip(" -•*\t") for line in (text or "").split("\n") if line.strip(" -•*\t")]
