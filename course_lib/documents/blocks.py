"""One class per kind of block, each writing itself as plain text, RTF, HTML and PDF lines.

A new kind is one class here: it is refused when it is defined unless it writes every format, so
no output can silently leave it out.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from .model import Block, HtmlContext, Segments, plain

_PAGE_WIDTH_TWIPS = 12240 - 2 * 1134  # US Letter, 2 cm margins
_BLANK = ("para", "")  # an empty line in the PDF


def rtf_escape(text: str) -> str:
    """Text as RTF: ``\\``, ``{`` and ``}`` escaped, new lines as ``\\line``, the rest ASCII."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\line ")
        elif 32 <= o < 127:
            out.append(ch)
        elif o >= 160 or o == 0x85:
            units = ch.encode("utf-16-le", "surrogatepass")
            for i in range(0, len(units), 2):
                n = int.from_bytes(units[i:i + 2], "little")
                out.append(f"\\u{n - 65536 if n >= 32768 else n}?")
        # other control characters are dropped
    return "".join(out)


def html_of(segments: Segments) -> str:
    """Segments as HTML: escaped, what a person typed isolated in ``<bdi>``."""
    return "".join(f"<bdi>{_esc(text)}</bdi>" if is_typed else _esc(text) for text, is_typed in segments)


def _esc(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _heading(page: HtmlContext, level: int, css_class: str, segments: Segments) -> str:
    return f'<{page.h(level)} class="{css_class}">{html_of(segments)}</{page.h(level)}>'


# -- one paragraph of text --------------------------------------------------------------------------
class _Text(Block):
    """A block of one text (its first item): an RTF paragraph with ``rtf_controls``, wrapped in the
    PDF to ``width`` characters."""

    width = 88
    rtf_controls = "\\pard\\sa200"

    @property
    def first(self) -> Segments:
        return self.items[0]

    def text(self):
        return [plain(self.first), ""]

    def rtf(self):
        return f"{{{self.rtf_controls} {rtf_escape(plain(self.first))}\\par}}\n"

    def pdf(self):
        return [(self.kind, line) for text in self.texts for line in textwrap.wrap(text, self.width) or [""]] + [_BLANK]


class Title(_Text):
    kind = "title"
    width = 48
    rtf_controls = "\\pard\\sa240\\b\\fs30"

    def text(self):
        first = plain(self.first)
        return [first, "=" * min(60, len(first)), ""]

    def html(self, page):
        return _heading(page, 0, "course-doc-title", self.first)


class Heading(_Text):
    kind = "heading"
    rtf_controls = "\\pard\\sb160\\sa60\\keepn\\b"

    def text(self):
        return [plain(self.first)]

    def html(self, page):
        return _heading(page, 1, "course-doc-heading", self.first)


class Note(_Text):
    """The start of the part for the reader (not for the school), printed on a page of its own."""

    kind = "note"
    rtf_controls = "\\pard\\sa200\\b\\fs26"

    def text(self):
        return ["", "-" * 60, plain(self.first), "-" * 60, ""]

    def rtf(self):
        return "\\page" + super().rtf()  # a page of its own

    def html(self, page):
        close = "</section>" if page.in_note else ""
        page.in_note = True  # closed by the next note, or at the end of the document
        return f'{close}<section class="course-note">' + _heading(page, 1, "course-doc-heading", self.first)


class Para(_Text):
    kind = "para"

    def html(self, page):
        return f"<p>{html_of(self.first)}</p>"


class Small(_Text):
    kind = "small"
    width = 110
    rtf_controls = "\\pard\\sa120\\fs20"

    def html(self, page):
        return f'<p class="course-small">{html_of(self.first)}</p>'


# -- several lines, or a list -----------------------------------------------------------------------
class _Listed(Block):
    """A block of several items, each one line (or list entry) of its own."""

    def mark(self, n: int) -> str:
        """The mark before item ``n`` (from 1) in text and PDF."""
        return ""

    def text(self):
        return [f"{self.mark(n)} {item}" for n, item in enumerate(self.texts, 1)] + [""]

    def pdf(self):
        out = []
        for n, text in enumerate(self.texts, 1):
            mark = f"{self.mark(n)} " if self.mark(n) else ""
            out += [("para", (mark if i == 0 else " " * len(mark)) + line)
                    for i, line in enumerate(textwrap.wrap(text, 84) or [""])]
        return out + [_BLANK]


class Lines(_Listed):
    """Lines of one paragraph: an address, a signature."""

    kind = "lines"

    def text(self):
        return self.texts + [""]

    def rtf(self):
        return "{\\pard\\sa200 " + "\\line ".join(rtf_escape(t) for t in self.texts) + "\\par}\n"

    def html(self, page):
        return "<p>" + "<br>".join(html_of(i) for i in self.items) + "</p>"


class _List(_Listed):
    rtf_mark = "\\bullet"

    def rtf_mark_of(self, n: int) -> str:
        return self.rtf_mark

    def rtf(self):
        entries = "".join(f"{{\\pard\\li400\\fi-400\\sa80 {self.rtf_mark_of(n)}\\tab {rtf_escape(t)}\\par}}\n"
                          for n, t in enumerate(self.texts, 1))
        return entries + "{\\pard\\sa80\\par}\n"


class Bullets(_List):
    kind = "list"

    def mark(self, n):
        return "-"

    def html(self, page):
        return "<ul>" + "".join(f"<li>{html_of(i)}</li>" for i in self.items) + "</ul>"


class Numbered(_List):
    kind = "numbered"

    def mark(self, n):
        return f"{n}."

    def rtf_mark_of(self, n):
        return f"{n}."

    def html(self, page):
        return "<ol>" + "".join(f"<li>{html_of(i)}</li>" for i in self.items) + "</ol>"


class Checklist(_List):
    kind = "checklist"
    rtf_mark = "\\u9744?"  # ☐

    def mark(self, n):
        return "[ ]"

    def html(self, page):
        return '<ul class="course-checklist">' + "".join(
            f'<li><span class="course-box-mark" aria-hidden="true">☐</span> {html_of(i)}</li>'
            for i in self.items) + "</ul>"


class Write(Block):
    """Lines to write on by hand, one per item."""

    kind = "write"

    def text(self):
        return ["_" * 60] * len(self.items) + [""]

    def rtf(self):
        return "{\\pard\\brdrb\\brdrs\\brdrw10\\brsp20\\sa280 \\par}\n" * len(self.items)

    def html(self, page):
        return '<div aria-hidden="true">' + '<div class="course-write"></div>' * len(self.items) + "</div>"

    def pdf(self):
        return []  # the printable page, not the PDF, is for writing on


@dataclass(frozen=True)
class Table(Block):
    kind = "table"
    header: tuple[str, ...] = ()  # column names
    rows: tuple[tuple[Segments, ...], ...] = ()  # cells
    weights: tuple[int, ...] = ()  # each column's share of the page's width in RTF (none: by its name)

    def text(self):
        cells = [list(self.header)] + [[plain(c) for c in row] for row in self.rows]
        widths = [max(8, *(len(r[i]) for r in cells)) for i in range(len(self.header))]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        rows = [line]
        for n, r in enumerate(cells):
            rows.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
            if n == 0:
                rows.append(line)
        return rows + [line, ""]

    def rtf(self):
        weights = list(self.weights) or [3 if h.lower().startswith("note") else 2 if "try" in h.lower() else 1
                                         for h in self.header]
        edges, x = [], 0
        for w in weights:
            x += _PAGE_WIDTH_TWIPS * w // sum(weights)
            edges.append(x)
        border = "".join(f"\\clbrdr{s}\\brdrs\\brdrw10" for s in "tlbr")
        out = []
        for n, row in enumerate([tuple(self.header)] + [tuple(plain(c) for c in r) for r in self.rows]):
            height = "300" if n == 0 else "-480"  # header as tall as its text; other rows room to write
            out.append(f"\\trowd\\trgaph80\\trrh{height}" + "".join(f"{border}\\cellx{e}" for e in edges))
            bold = "\\b" if n == 0 else ""
            out.append("".join(f"\\pard\\intbl{bold} {rtf_escape(c)}\\b0\\cell " for c in row) + "\\row\n")
        return "".join(out) + "\\pard\\sa200\\par\n"

    def html(self, page):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{html_of(c) or '&nbsp;'}</td>" for c in row) + "</tr>"
                       for row in self.rows)
        return (f'<div class="course-table-wrap" role="region" tabindex="0" aria-label="{escape(page.title)}: table">'
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")

    def pdf(self):
        """Each row a short entry: its first cell, then "Header: value" for the rest."""
        out = []
        for row in self.rows:
            out += [("head", line) for line in textwrap.wrap(plain(row[0]), 88) or [""]]
            details = " \u00b7 ".join(f"{h}: {plain(c)}" for h, c in zip(self.header[1:], row[1:], strict=True)
                                      if plain(c))
            out += [("row", "    " + line) for line in textwrap.wrap(details, 96)]
        return out + [_BLANK]


# -- layout on the printable page only ------------------------------------------------------------
class _PageLayout(Block):
    """Arranges the printable page; text, RTF and PDF flow on in one column."""

    tag = ""

    def text(self):
        return []

    def rtf(self):
        return ""

    def pdf(self):
        return []

    def html(self, page):
        return self.tag


class ColumnsStart(_PageLayout):
    kind = "columns-start"
    tag = '<div class="course-columns">'


class ColumnsEnd(_PageLayout):
    kind = "columns-end"
    tag = "</div>"


class ColumnStart(_PageLayout):
    kind = "column-start"
    tag = "<div>"


class ColumnEnd(_PageLayout):
    kind = "column-end"
    tag = "</div>"


class LanguageStart(_PageLayout):
    """The start of a part in another language than the document's (its first item: the code), such as
    the English letter to send before the parent's copy in Spanish: screen readers and browsers read it
    in its own language. Closed by ``language-end``."""

    kind = "language-start"

    def html(self, page):
        return f'<div lang="{escape(plain(self.items[0]) if self.items else "")}">'


class LanguageEnd(_PageLayout):
    kind = "language-end"
    tag = "</div>"


__all__ = ["Block", "HtmlContext", "html_of", "rtf_escape"]
