"""A letter or sheet as plain blocks of text, before it becomes text, RTF or HTML.

One model for every output means the printed page, the downloads and the preview say the same
thing. Text is kept as *segments*: what the course wrote, and what a person typed (a value),
so that each output can escape what was typed, and HTML can isolate it (``<bdi>``), which keeps
a name written right to left, such as محمد, from reordering the sentence around it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

Segments = tuple[tuple[str, bool], ...]  # (text, typed by a person?)


def literal(text: str) -> Segments:
    return ((text, False),)


def typed(text: str) -> Segments:
    return ((text, True),)


def fill(template: str, values: dict) -> Segments:
    """``template`` with each ``{name}`` replaced by ``values[name]``, marked as typed.

    Only the course's own template is parsed; a value is never parsed again, so curly brackets
    a person types stay as they are.
    """
    out: list[tuple[str, bool]] = []
    for lit, name, _spec, _conv in string.Formatter().parse(template):
        if lit:
            out.append((lit, False))
        if name is not None:
            out.append((str(values.get(name, "")), True))
    return tuple(out)


def plain(segments: Segments) -> str:
    return "".join(text for text, _typed in segments)


@dataclass(frozen=True)
class Block:
    """``kind`` is one of: title, heading, para, lines, list, numbered, checklist, table, write,
    note (the start of the part for the reader, printed on its own page), small."""

    kind: str
    items: tuple[Segments, ...] = ()
    header: tuple[str, ...] = ()  # table column names
    rows: tuple[tuple[Segments, ...], ...] = ()  # table cells


@dataclass
class Document:
    title: str  # for the printable page's title and the file names
    slug: str  # file name stem, ASCII only
    blocks: list[Block] = field(default_factory=list)
    compact: bool = False  # printed in smaller type, to fit one page

    def add(self, kind: str, *items: Segments | str) -> Document:
        self.blocks.append(Block(kind, tuple(literal(i) if isinstance(i, str) else i for i in items)))
        return self

    def table(self, header: list[str], rows: list[list[Segments]]) -> Document:
        self.blocks.append(Block("table", header=tuple(header), rows=tuple(tuple(r) for r in rows)))
        return self
