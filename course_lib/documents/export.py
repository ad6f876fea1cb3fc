"""A :class:`~course_lib.documents.Document` as plain text, RTF, an HTML preview and a printable
HTML page, and the download links for them: each block writes its own part
(:mod:`course_lib.documents.blocks`); this module puts the parts together.

Everything is made in the kernel's memory. Downloads are ``data:`` links inside the page, so a
file a visitor downloads from the web view is never written on the server. RTF is chosen as
the word-processor format because Word, LibreOffice and Pages all open it and it needs no
library; every character outside ASCII is written as an RTF ``\\uN?`` escape, so any name
comes through intact.
"""

from __future__ import annotations

import base64
from html import escape

from ..i18n import ENGLISH, N_, Language
from .blocks import rtf_escape
from .model import Document, HtmlContext

__all__ = ["DOC_CSS", "LINK_CSS", "PRINT_ONLY_DOCS_CSS", "data_url", "download_links", "files", "rtf_escape",
           "to_html", "to_html_page", "to_rtf", "to_text"]


def to_text(doc: Document) -> str:
    return "\n".join(line for b in doc.blocks for line in b.text()).rstrip() + "\n"


def to_rtf(doc: Document) -> str:
    return "".join(["{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1",
                    "{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}",
                    "\\paperw12240\\paperh15840\\margl1134\\margr1134\\margt1134\\margb1134\\f0\\fs22\n",
                    *(b.rtf() for b in doc.blocks), "}"])


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
    classes = "course-doc course-print" + (" course-compact" if doc.compact else "")
    page = HtmlContext(doc.title, level)
    body = "".join(b.html(page) for b in doc.blocks)
    return (f'<article class="{classes}" lang="{escape(doc.language)}" aria-label="{escape(doc.title)}">{body}'
            f'{"</section>" if page.in_note else ""}</article>')


def to_html_page(doc: Document, t: Language = ENGLISH) -> str:
    """A standalone page to open in any browser and print: no scripts, nothing fetched."""
    return (f"<!DOCTYPE html>\n<html lang=\"{escape(doc.language)}\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(doc.title)}</title><style>body {{ margin: 1rem; background: #fff; }}"
            f".course-page-help {{ font-family: sans-serif; color: #1a1a1a; max-width: 44rem; }}"
            f"@media print {{ .course-page-help {{ display: none; }} body {{ margin: 0; }} }}{DOC_CSS}</style>"
            "</head><body>"
            '<p class="course-page-help">' + t._("To print this page, press Ctrl+P (on a Mac, Command+P), or "
                                                 "choose Print in your browser's menu.") + "</p>"
            f"<main>{to_html(doc, level=1)}</main></body></html>\n")


# -- downloads -------------------------------------------------------------------------------
def data_url(content: str, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(content.encode("utf-8")).decode("ascii")


def files(doc: Document, t: Language = ENGLISH) -> dict[str, tuple[str, str]]:
    """File name -> (content, MIME type) for each download. The text file starts with a byte-order
    mark so that older Windows programs read it as UTF-8."""
    return {
        f"{doc.slug}.txt": ("\ufeff" + to_text(doc), "text/plain;charset=utf-8"),
        f"{doc.slug}.rtf": (to_rtf(doc), "application/rtf"),
        f"{doc.slug}.html": (to_html_page(doc, t), "text/html;charset=utf-8"),
    }


_LINK_TEXT = {
    ".txt": (N_("Plain text (.txt)"), N_("for email, or any program that opens text")),
    ".rtf": (N_("Document (.rtf)"), N_("opens in Word, LibreOffice, Pages and most word processors")),
    ".html": (N_("Printable page (.html)"), N_("open it in your browser, then print it")),
}


def download_links(doc: Document, what: str, t: Language = ENGLISH) -> str:
    """HTML with one ``download`` link per file; the content is inside the link itself."""
    items = []
    for name, (content, mime) in files(doc, t).items():
        text, why = _LINK_TEXT[name[name.rindex("."):]]
        items.append(f'<li><a download="{escape(name)}" href="{data_url(content, mime)}">{escape(t._(text))}</a>: '
                     f"{escape(t._(why))}</li>")
    return (f'<div class="course-downloads"><p style="margin:0.3em 0"><strong>'
            f'{escape(t._("Download {what}", what=what))}</strong></p>'
            f'<ul style="margin:0 0 0.5em 1.2em;padding:0">{"".join(items)}</ul></div>')


# Links look like links in JupyterLab too, whose widgets give them no colour or underline.
LINK_CSS = ".course-downloads a { color: #0b3d91; text-decoration: underline; font-weight: 600; }"
