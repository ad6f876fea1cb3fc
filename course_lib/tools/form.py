"""What every tool shares on screen: labelled boxes, a "Make" button, a status line, the
preview that prints, and the download links.

A tool never writes what it is given straight onto the page: values are cleaned
(:func:`~course_lib.tools.content.clean`) on every press, because in the web view a browser can
send anything. Where the mode keeps answers (a learner's JupyterLab) the entries are saved, when
the button is pressed, in the tools folder's ``my-answers.json`` through
:class:`~course_lib.store.ResponseStore`, like lesson answers; in the web view nothing is written
anywhere.
"""

from __future__ import annotations

import os
from datetime import date
from html import escape
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from .. import render, views
from ..documents import DOC_CSS, LINK_CSS, PRINT_ONLY_DOCS_CSS, Document, download_links, to_html
from ..i18n import N_, Language, Message
from ..modes import Mode
from ..store import ANSWERS_FILE, ResponseStore, entry_key
from .content import EntryError, Field, Tools, clean, clean_all

STORE_ID = "tools"  # the "lesson" the tools' entries file belongs to

# Boxes are labelled above the box (they fit a 375 px phone), never wider than the screen.
FORM_CSS = """
.course-tool .course-field { display: flex !important; flex-direction: column !important;
  align-items: stretch !important; height: auto !important; width: auto !important; max-width: 40rem;
  box-sizing: border-box; }
.course-tool .course-field > .widget-label, .course-tool .course-field > label { text-align: left !important;
  width: auto !important; max-width: none !important; height: auto !important; white-space: normal !important;
  overflow: visible !important; line-height: 1.35 !important; margin: 0.5em 0 0.2em !important; font-weight: 600;
  color: #1a1a1a; }
.course-tool .course-field input, .course-tool .course-field textarea, .course-tool .course-field select {
  width: 100% !important; max-width: 40rem; box-sizing: border-box; font-size: 1rem; }
.course-tool .course-field textarea { min-height: 4.5em; }
.course-tool .course-field select { height: auto !important; flex: none !important; min-height: 2.2em; }
.course-tool .widget-checkbox, .course-tool .widget-checkbox label, .course-tool .widget-label-basic,
.course-tool .widget-label-basic span { white-space: normal !important; height: auto !important;
  overflow: visible !important; line-height: 1.35; }
.course-tool .widget-checkbox { width: auto !important; max-width: 40rem; margin: 0.15em 0; }
.course-tool .widget-checkbox input { flex: none; }
.course-tool .course-group { border: 0; margin: 0.6em 0 0.2em; padding: 0; }
.course-tool .widget-html, .course-tool .widget-html-content { min-width: 0 !important; max-width: 100% !important; }
"""


def style_html() -> str:
    return f"<style>{FORM_CSS}{LINK_CSS}{DOC_CSS}{PRINT_ONLY_DOCS_CSS}</style>"


def open_store(folder: Path, mode: Mode, language: str | None = None) -> ResponseStore:
    return mode.answers(folder / ANSWERS_FILE, STORE_ID, language)


FIELD_LAYOUT = w.Layout(width="100%", max_width="40rem")
LONG_LAYOUT = w.Layout(width="100%", max_width="40rem", height="auto")
TICK_LAYOUT = w.Layout(width="100%", max_width="40rem")


def field_widget(f: Field) -> w.Widget:
    """A labelled box for ``f`` (the label is the widget's description, so it is the box's name)."""
    if f.kind == "tick":
        box = w.Checkbox(value=bool(f.default), description=f.label, indent=False, layout=TICK_LAYOUT,
                         style=views.CHECKBOX_STYLE)
    elif f.kind == "date":  # the browser's own date picker: labelled, and typed into from the keyboard
        box = w.DatePicker(value=None, description=f.label, layout=FIELD_LAYOUT)
    elif f.kind == "long":
        box = w.Textarea(value="", description=f.label, placeholder=f.example, layout=LONG_LAYOUT, rows=4)
    else:
        box = w.Text(value="", description=f.label, placeholder=f.example, layout=FIELD_LAYOUT)
    if f.kind != "tick":
        box.add_class("course-field")
    return box


def shown(f: Field, value: str | bool):
    """A cleaned value as its box holds it (a date picker holds a date)."""
    if f.kind == "date":
        return date.fromisoformat(value) if value else None
    return value


def ticks(texts: list[str]) -> dict[str, w.Checkbox]:
    return {t: w.Checkbox(value=False, description=t, indent=False, layout=TICK_LAYOUT, style=views.CHECKBOX_STYLE)
            for t in texts}


def ticked(boxes: dict[str, w.Checkbox]) -> list[str]:
    """The ticked items, in the order they are offered (a forged non-bool value counts as not ticked)."""
    return [t for t, b in boxes.items() if b.value is True]


class ToolView:
    """One tool. Subclasses say which boxes it shows (``fields``), how to read extra widgets
    (``extra_values``) and how to make the document (``compose``)."""

    section = "tools"  # its entries are kept under "<section>/entries"
    what = N_("your page")  # "Download your letter" (messages, said in the tools' language)
    printed = ""  # what Ctrl+P prints, said in a sentence, if more than ``what``
    make_label = N_("Make my page")
    unsaved = ("date",)  # boxes never restored (a letter is dated the day it is made)

    def __init__(self, tools: Tools, store: ResponseStore, mode: Mode):
        self.tools, self.store, self.mode = tools, store, mode
        self.t: Language = tools.t
        self.key = entry_key(self.section, "entries")
        self.status = views.html()
        self.preview = views.html(layout=views.PLAIN)
        self.downloads = views.html()
        self.boxes: dict[str, w.Widget] = {}
        self.made = False
        self.make_button = views.button(self.t._(self.make_label), "primary")
        self.make_button.on_click(lambda _b: self.make())

    # -- for subclasses --------------------------------------------------------------------
    def fields(self) -> list[Field]:
        raise NotImplementedError

    def extra_values(self) -> tuple[dict, list[str]]:
        """Values of widgets other than the boxes (tick lists), cleaned, and any problems."""
        return {}, []

    def compose(self, values: dict) -> Document:
        raise NotImplementedError

    def restore_extra(self, saved: dict) -> None:
        """Show saved values of widgets other than the boxes."""

    def problems(self, values: dict) -> list[Message]:
        """What is wrong with the cleaned ``values`` taken together (a date after the letter's own)."""
        return []

    # -- shared ----------------------------------------------------------------------------
    def field_of(self, fid: str) -> Field | None:
        """The box ``fid`` (a view may add boxes of its own)."""
        return self.tools.fields.get(fid)

    def box(self, fid: str) -> w.Widget:
        if fid not in self.boxes:
            self.boxes[fid] = field_widget(self.field_of(fid))
            self.boxes[fid].observe(self._changed, names="value")
        return self.boxes[fid]

    def intro_html(self) -> str:
        t = self.t
        html = style_html() + render.message("info", self.mode.tool_intro(t._(self.what), t._(self.make_label),
                                                                          ANSWERS_FILE, t), t=t)
        if self.store.problem:
            html += render.message("warn", t.message(self.store.problem), t=t)
        return html

    def print_help(self) -> str:
        t = self.t
        if self.mode.web_page:
            printed = t._(self.printed) if self.printed else t._("Only {what} is printed.", what=t._(self.what))
            how = t._("To print, press Ctrl+P (on a Mac, Command+P), or choose Print in your browser's menu. {printed} "
                      "On a phone, use your browser's menu or Share button, then Print.", printed=printed)
        else:
            how = t._("To print, download the printable page (.html) below, open it, and print it from your browser. "
                      "(JupyterLab's own Print command prints the whole notebook, not just this.)")
        return f"<p style='margin:0.4em 0;max-width:44rem'>{render.md_inline(how)}</p>"

    def widget_parts(self) -> list[w.Widget]:
        return [self.make_button, self.status, self.preview, self.downloads]

    def raw_values(self) -> dict:
        return {f.id: self.box(f.id).value for f in self.fields()}

    @views.safely
    def make(self) -> bool:
        """Read the boxes, refuse kindly what cannot be used, else show the document and the downloads."""
        fields = self.fields()
        values, problems = clean_all(fields, self.raw_values())
        extra, extra_problems = self.extra_values()
        problems += extra_problems
        if problems:
            self._refuse(problems)
            return False
        values.update(extra)
        if problems := self.problems(values):
            self._refuse(problems)
            return False
        doc = self.compose(values)
        t = self.t
        self.preview.value = to_html(doc)
        self.downloads.value = self.print_help() + download_links(doc, t._(self.what), t)
        self.made = True
        self._save(values)
        self.status.value = render.message("saved" if self.store.writable else "info",
                                           self.mode.tool_made(t._(self.what), t), t=t)
        return True

    def _refuse(self, problems: list[Message]) -> None:
        self.status.value = render.box("warn", "<ul style='margin:0 0 0 1.2em;padding:0'>" + "".join(
            f"<li>{escape(self.t.message(p))}</li>" for p in problems) + "</ul>", t=self.t)
        self._clear()

    def _save(self, values: dict) -> None:
        kept = {k: v for k, v in values.items() if k not in self.unsaved}
        if self.store.writable:
            self.store.save(self.key, {**(self.saved() or {}), **kept})

    def saved(self) -> dict:
        value = self.store.get(self.key)
        return value if isinstance(value, dict) else {}

    def restore(self) -> None:
        """Fill the boxes with the entries saved last time; leave out any that no longer read well."""
        saved = self.saved()
        if not saved:
            return
        dropped = False
        for fid, value in saved.items():
            field = self.field_of(fid)
            if field is not None and fid not in self.unsaved:
                try:
                    self.box(fid).value = shown(field, clean(field, value))
                except EntryError:
                    dropped = True
        try:
            self.restore_extra(saved)
        except (TypeError, ValueError, KeyError):
            dropped = True
        self.made = False
        t = self.t
        said = [t._("Your entries from last time are shown.")]
        if dropped:
            said.append(t._("Some could not be read and were left out."))
        said.append(t._("Press “{button}” to see the page.", button=t._(self.make_label)))
        self.status.value = render.message("warn" if dropped else "info", " ".join(said), t=t)

    def _changed(self, _change=None) -> None:
        if self.made:
            self._clear()
            t = self.t
            self.status.value = render.message(
                "info", t._("You changed something. Press “{button}” again to update {what} and the downloads.",
                            button=t._(self.make_label), what=t._(self.what)), t=t)

    def _clear(self) -> None:
        self.made = False
        self.preview.value = ""
        self.downloads.value = ""

    def _ipython_display_(self) -> None:
        display(self.widget)


def env_today() -> date:
    """Today's date; ``COURSE_TODAY`` (YYYY-MM-DD) fixes it for tests and screenshots."""
    fixed = os.environ.get("COURSE_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
