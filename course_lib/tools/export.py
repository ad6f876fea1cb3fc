"""A :class:`~course_lib.tools.document.Document` as plain text, RTF, an HTML preview and a
printable HTML page, and the download links for them.

Everything is made in the kernel's memory. Downloads are ``data:`` links inside the page, so a
file a visitor downloads from the web view is never written on the server. RTF is chosen as
the word-processor format because Word, LibreOffice and Pages all open it and it needs no
library; every character outside ASCII is written as an RTF ``\\uN?`` escape, so any name
comes through intact.
"""

from __future__ import annotations

import base64
from html import escape

from .document import Block, Document, Segments, plain

# -- plain text ------------------------------------------------------------------------------


def to_text(doc: Document) -> str:
    out: list[str] = []
    for b in doc.blocks:
        items = [plain(i) for i in b.items]
        if b.kind == "note":
            out += ["", "-" * 60, items[0], "-" * 60, ""]
        elif b.kind == "title":
            out += [items[0], "=" * min(60, len(items[0])), ""]
        elif b.kind == "heading":
            out.append(items[0])
        elif b.kind in ("para", "small"):
            out += [items[0], ""]
        elif b.kind == "lines":
            out += items + [""]
        elif b.kind in ("list", "numbered", "checklist"):
            marks = {"list": lambda n: "-", "numbered": lambda n: f"{n}.", "checklist": lambda n: "[ ]"}[b.kind]
            out += [f"{marks(n)} {item}" for n, item in enumerate(items, 1)] + [""]
        elif b.kind == "write":
            out += ["_" * 60] * len(items) + [""]
        elif b.kind == "table":
            out += _text_table(b) + [""]
    return "\n".join(out).rstrip() + "\n"


def _text_table(b: Block) -> list[str]:
    cells = [list(b.header)] + [[plain(c) for c in row] for row in b.rows]
    widths = [max(8, *(len(r[i]) for r in cells)) for i in range(len(b.header))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    rows = [line]
    for n, r in enumerate(cells):
        rows.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if n == 0:
            rows.append(line)
    return rows + [line]


# -- RTF -------------------------------------------------------------------------------------
_PAGE_WIDTH_TWIPS = 12240 - 2 * 1134  # US Letter, 2 cm margins


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


def to_rtf(doc: Document) -> str:
    parts = ["{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1",
             "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}",
             "\\paperw12240\\paperh15840\\margl1134\\margr1134\\margt1134\\margb1134\\f0\\fs22\n"]
    for b in doc.blocks:
        items = [_rtf(i) for i in b.items]
        if b.kind == "note":
            parts.append(f"\\page{{\\pard\\sa200\\b\\fs26 {items[0]}\\par}}\n")
        elif b.kind == "title":
            parts.append(f"{{\\pard\\sa240\\b\\fs30 {items[0]}\\par}}\n")
        elif b.kind == "heading":
            parts.append(f"{{\\pard\\sb160\\sa60\\keepn\\b {items[0]}\\par}}\n")
        elif b.kind == "para":
            parts.append(f"{{\\pard\\sa200 {items[0]}\\par}}\n")
        elif b.kind == "small":
            parts.append(f"{{\\pard\\sa120\\fs20 {items[0]}\\par}}\n")
        elif b.kind == "lines":
            parts.append("{\\pard\\sa200 " + "\\line ".join(items) + "\\par}\n")
        elif b.kind in ("list", "numbered", "checklist"):
            for n, item in enumerate(items, 1):
                mark = {"list": "\\bullet", "numbered": f"{n}.", "checklist": "\\u9744?"}[b.kind]
                parts.append(f"{{\\pard\\li400\\fi-400\\sa80 {mark}\\tab {item}\\par}}\n")
            parts.append("{\\pard\\sa80\\par}\n")
        elif b.kind == "write":
            parts += ["{\\pard\\brdrb\\brdrs\\brdrw10\\brsp20\\sa280 \\par}\n"] * len(items)
        elif b.kind == "table":
            parts.append(_rtf_table(b))
    parts.append("}")
    return "".join(parts)


def _rtf(segments: Segments) -> str:
    return rtf_escape(plain(segments))


def _rtf_table(b: Block) -> str:
    weights = [3 if h.lower().startswith("note") else 2 if "try" in h.lower() else 1 for h in b.header]
    edges, x = [], 0
    for w in weights:
        x += _PAGE_WIDTH_TWIPS * w // sum(weights)
        edges.append(x)
    border = "".join(f"\\clbrdr{s}\\brdrs\\brdrw10" for s in "tlbr")
    out = []
    for n, row in enumerate([tuple(b.header)] + [tuple(plain(c) for c in r) for r in b.rows]):
        height = "300" if n == 0 else "-480"  # header as tall as its text; other rows room to write
        out.append(f"\\trowd\\trgaph80\\trrh{height}" + "".join(f"{border}\\cellx{e}" for e in edges))
        bold = "\\b" if n == 0 else ""
        cells = "".join(f"\\pard\\intbl{bold} {rtf_escape(c)}\\b0\\cell " for c in row)
        out.append(cells + "\\row\n")
    return "".join(out) + "\\pard\\sa200\\par\n"


# -- HTML ------------------------------------------------------------------------------------
DOC_CSS = """
.course-doc { background: #fff; color: #1a1a1a; border: 1px solid #767676; padding: 1rem 1.2rem;
  max-width: min(44rem, 100%); min-width: 0; box-sizing: border-box; font-family: Georgia, "Times New Roman", serif;
  font-size: 1rem; line-height: 1.5; overflow-wrap: anywhere; margin: 0.5rem 0; }
.course-doc h1, .course-doc h2, .course-doc h3, .course-doc h4 { font-family: inherit; color: #1a1a1a;
  margin: 0.8em 0 0.3em; line-height: 1.25; }
.course-doc .course-doc-title { font-size: 1.3em; margin-top: 0; }
.course-doc .course-doc-heading { font-size: 1.05em; }
.course-doc p { margin: 0 0 0.8em; }
.course-doc ul, .course-doc ol { margin: 0 0 0.8em 1.4em; padding: 0; }
.course-doc li { margin: 0 0 0.2em; }
.course-doc ul.course-checklist { list-style: none; margin-left: 0; }
.course-doc .course-box-mark { font-family: "DejaVu Sans", "Segoe UI Symbol", sans-serif; }
.course-doc .course-table-wrap { overflow-x: auto; margin: 0 0 0.8em; }
.course-doc table { border-collapse: collapse; width: 100%; min-width: 30rem; font-size: 0.95em; }
.course-doc th { overflow-wrap: normal; }
.course-doc th, .course-doc td { border: 1px solid #1a1a1a; padding: 0.2em 0.35em; text-align: left;
  vertical-align: top; }
.course-doc td { height: 2em; }
.course-doc .course-write { border-bottom: 1px solid #1a1a1a; height: 1.7em; }
.course-doc .course-note { border-top: 2px dashed #767676; margin-top: 1.4em; padding-top: 0.6em; }
.course-doc .course-small { font-size: 0.9em; }
.course-doc .course-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
  column-gap: 1.2rem; }
@media print {
  .course-doc { border: 0 !important; padding: 0 !important; margin: 0 !important; max-width: none !important;
    font-size: 11pt; line-height: 1.4; }
  .course-doc.course-compact { font-size: 10pt; line-height: 1.3; }
  .course-doc.course-compact p, .course-doc.course-compact ul, .course-doc.course-compact ol { margin-bottom: 0.45em; }
  .course-doc.course-compact .course-doc-heading { margin: 0.5em 0 0.15em; }
  .course-doc.course-compact .course-doc-title { margin-bottom: 0.3em; }
  .course-doc.course-compact td { height: auto; }
  .course-doc .course-note { break-before: page; border-top: 0; margin-top: 0; }
  .course-doc .course-table-wrap { overflow: visible; }
  .course-doc table { min-width: 0; }
  .course-doc tr, .course-doc li { break-inside: avoid; }
  .course-doc h3, .course-doc h4 { break-after: avoid; }
  @page { margin: 1.6cm; }
}
"""

# In the notebook or web view: print only the letter or sheet, not the page around it. Every
# element that is not a printable document, inside one or holding one is hidden, and those that
# hold one are flattened (no scrolling boxes, no fixed heights) so that it flows across pages.
PRINT_ONLY_DOCS_CSS = """
@media print {
  body:has(.course-print) *:not(:has(.course-print)):not(.course-print):not(.course-print *) {
    display: none !important; }
  html:has(.course-print), body:has(.course-print), body *:has(.course-print) {
    display: block !important; position: static !important; overflow: visible !important;
    height: auto !important; min-height: 0 !important; max-height: none !important; width: auto !important;
    max-width: none !important; margin: 0 !important; padding: 0 !important; border: 0 !important;
    box-shadow: none !important; background: #fff !important; transform: none !important;
    contain: none !important; content-visibility: visible !important; }
  .course-print { break-before: page; }
}
"""


def to_html(doc: Document, level: int = 3) -> str:
    """The document as an HTML fragment (the preview, and the body of the printable page)."""
    h = lambda n: f"h{min(6, level + n)}"  # noqa: E731
    classes = "course-doc course-print" + (" course-compact" if doc.compact else "")
    out = [f'<article class="{classes}" lang="en" aria-label="{escape(doc.title)}">']
    in_note = False
    for b in doc.blocks:
        items = [_html(i) for i in b.items]
        if b.kind == "note":
            if in_note:
                out.append("</section>")
            out.append(f'<section class="course-note"><{h(1)} class="course-doc-heading">{items[0]}</{h(1)}>')
            in_note = True
        elif b.kind == "title":
            out.append(f'<{h(0)} class="course-doc-title">{items[0]}</{h(0)}>')
        elif b.kind == "heading":
            out.append(f'<{h(1)} class="course-doc-heading">{items[0]}</{h(1)}>')
        elif b.kind == "para":
            out.append(f"<p>{items[0]}</p>")
        elif b.kind == "small":
            out.append(f'<p class="course-small">{items[0]}</p>')
        elif b.kind == "lines":
            out.append("<p>" + "<br>".join(items) + "</p>")
        elif b.kind == "list":
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        elif b.kind == "numbered":
            out.append("<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>")
        elif b.kind == "checklist":
            out.append('<ul class="course-checklist">' + "".join(
                f'<li><span class="course-box-mark" aria-hidden="true">☐</span> {i}</li>' for i in items) + "</ul>")
        elif b.kind == "write":
            out.append('<div aria-hidden="true">' + '<div class="course-write"></div>' * len(items) + "</div>")
        elif b.kind == "table":
            out.append(_html_table(b, doc.title))
        elif b.kind == "columns-start":
            out.append('<div class="course-columns">')
        elif b.kind == "columns-end":
            out.append("</div>")
        elif b.kind == "column-start":
            out.append("<div>")
        elif b.kind == "column-end":
            out.append("</div>")
    if in_note:
        out.append("</section>")
    out.append("</article>")
    return "".join(out)


def _html(segments: Segments) -> str:
    return "".join(f"<bdi>{_esc(text)}</bdi>" if is_typed else _esc(text) for text, is_typed in segments)


def _esc(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _html_table(b: Block, title: str) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in b.header)
    body = "".join("<tr>" + "".join(f"<td>{_html(c) or '&nbsp;'}</td>" for c in row) + "</tr>" for row in b.rows)
    return (f'<div class="course-table-wrap" role="region" tabindex="0" aria-label="{escape(title)}: table">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def to_html_page(doc: Document) -> str:
    """A standalone page to open in any browser and print: no scripts, nothing fetched."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(doc.title)}</title><style>body {{ margin: 1rem; background: #fff; }}"
            f".course-page-help {{ font-family: sans-serif; color: #1a1a1a; max-width: 44rem; }}"
            f"@media print {{ .course-page-help {{ display: none; }} body {{ margin: 0; }} }}{DOC_CSS}</style>"
            "</head><body>"
            '<p class="course-page-help">To print this page, press Ctrl+P (on a Mac, Command+P), '
            "or choose Print in your browser's menu.</p>"
            f"<main>{to_html(doc, level=1)}</main></body></html>\n")


# -- downloads -------------------------------------------------------------------------------
def data_url(content: str, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(content.encode("utf-8")).decode("ascii")


def files(doc: Document) -> dict[str, tuple[str, str]]:
    """File name -> (content, MIME type) for each download. The text file starts with a byte-order
    mark so that older Windows programs read it as UTF-8."""
    return {
        f"{doc.slug}.txt": ("\ufeff" + to_text(doc), "text/plain;charset=utf-8"),
        f"{doc.slug}.rtf": (to_rtf(doc), "application/rtf"),
        f"{doc.slug}.html": (to_html_page(doc), "text/html;charset=utf-8"),
    }


_LINK_TEXT = {
    ".txt": ("Plain text (.txt)", "for email, or any program that opens text"),
    ".rtf": ("Document (.rtf)", "opens in Word, LibreOffice, Pages and most word processors"),
    ".html": ("Printable page (.html)", "open it in your browser, then print it"),
}


def download_links(doc: Document, what: str) -> str:
    """HTML with one ``download`` link per file; the content is inside the link itself."""
    items = []
    for name, (content, mime) in files(doc).items():
        text, why = _LINK_TEXT[name[name.rindex("."):]]
        items.append(f'<li><a download="{escape(name)}" href="{data_url(content, mime)}">{escape(text)}</a>: '
                     f"{escape(why)}</li>")
    return (f'<div class="course-downloads"><p style="margin:0.3em 0"><strong>Download {escape(what)}</strong></p>'
            f'<ul style="margin:0 0 0.5em 1.2em;padding:0">{"".join(items)}</ul></div>')


# Links look like links in JupyterLab too, whose widgets give them no colour or underline.
LINK_CSS = ".course-downloads a { color: #0b3d91; text-decoration: underline; font-weight: 600; }"
