"""A letter, a sheet or a record as plain blocks of text, before it becomes text, RTF, HTML or PDF.

One model for every output means the printed page, the downloads and the preview say the same
thing. Text is kept as *segments*: what the course wrote, and what a person typed (a value),
so that each output can escape what was typed, and HTML can isolate it (``<bdi>``), which keeps
a name written right to left, such as محمد, from reordering the sentence around it.

Each kind of block is a class (:mod:`course_lib.documents.blocks`) that writes itself in every
format; a document names a block by its kind (``doc.add("para", ...)``), and a kind no class
has is an error, never a block silently left out.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import ClassVar

from ..registry import register

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


@dataclass
class HtmlContext:
    """What a block needs to know of the HTML around it: the heading level to start from, the
    document's title (tables are named after it), and whether a note's section is open."""

    title: str
    level: int = 3
    in_note: bool = False

    def h(self, n: int) -> str:
        return f"h{min(6, self.level + n)}"


BLOCKS: dict[str, type[Block]] = {}
WRITERS = ("text", "rtf", "html", "pdf")  # every kind of block writes itself in each


@dataclass(frozen=True)
class Block:
    """One part of a document. A subclass with a ``kind`` is registered by it, once it writes
    itself in every format (:data:`WRITERS`)."""

    items: tuple[Segments, ...] = ()
    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.kind:
            return
        register(BLOCKS, cls, Block, WRITERS, "document block")

    @property
    def texts(self) -> list[str]:
        return [plain(i) for i in self.items]

    def text(self) -> list[str]:
        """Its lines in a plain text file."""
        raise NotImplementedError

    def rtf(self) -> str:
        """Its RTF, for word processors."""
        raise NotImplementedError

    def html(self, page: HtmlContext) -> str:
        """Its HTML, in the preview and the printable page."""
        raise NotImplementedError

    def pdf(self) -> list[tuple[str, str]]:
        """``(style, line)`` for each line of the PDF page, wrapped to its width."""
        raise NotImplementedError


def block(kind: str, items: tuple[Segments, ...]) -> Block:
    """A block of ``kind``; an unknown kind is the author's error, said at once."""
    from . import blocks  # noqa: F401 - the kinds register themselves

    if kind not in BLOCKS:
        raise ValueError(f"a document has no block of kind {kind!r} (kinds: {', '.join(sorted(BLOCKS))})")
    return BLOCKS[kind](items)


@dataclass
class Document:
    title: str  # for the printable page's title and the file names
    slug: str  # file name stem, ASCII only
    blocks: list[Block] = field(default_factory=list)
    compact: bool = False  # printed in smaller type, to fit one page
    language: str = "en"  # the language it is written in (the printable page's lang attribute)

    def add(self, kind: str, *items: Segments | str) -> Document:
        self.blocks.append(block(kind, tuple(literal(i) if isinstance(i, str) else i for i in items)))
        return self

    def table(self, header: list[str], rows: list[list[Segments]], weights: list[int] | None = None) -> Document:
        from .blocks import Table

        self.blocks.append(Table(header=tuple(header), rows=tuple(tuple(r) for r in rows),
                                 weights=tuple(weights or ())))
        return self
