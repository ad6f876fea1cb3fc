"""Printable sheets: the parent's IEP meeting sheet, and for aides a data sheet, a strategy card
and a first-week checklist that match lesson 09 (Working with the OT) and lesson 10 (Privacy).

Each ``compose_*`` function is plain (values in, :class:`Document` out) so tests can read what
a parent or aide gets without any widget; the views only collect the values.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as w

from .. import render, views
from ..documents import Document, literal, typed
from ..i18n import N_, Message
from ..modes import Mode
from ..store import ANSWERS_FILE, ResponseStore
from .content import Field, Tools, clean, format_date, lines_of
from .form import ToolView, ticked, ticks

AIDE_PRINTED = N_("Each sheet you have made on this page is printed on a page of its own, and nothing else.")


_WIDER = {"measure_note": 3, "measure_trials": 2}  # the data sheet's columns that need more room to write in
_ITEMS = {"questions": "ot_questions", "invite": "invite", "bring": "bring"}  # a tick list: the sheet's items


def _labelled(label: str, value: str):
    return literal(f"{label}: ") + (typed(value) if value else literal("_" * 24))


# -- the IEP meeting sheet -------------------------------------------------------------------------
def compose_meeting_sheet(tools: Tools, values: dict) -> Document:
    spec, t = tools.meeting_sheet, tools.t
    doc = Document(title=spec["title"], slug="iep-meeting-sheet", compact=True, language=tools.language)
    doc.add("title", spec["title"])
    doc.add("para", _labelled(t._("Child"), values.get("sheet_child", "")) + literal(" · ") +
            _labelled(t._("Meeting date"), format_date(values.get("sheet_date", ""), t)))
    for fid, title, blank in (("concerns", t._("My concerns"), 3), ("wish", t._("My wish for this year"), 2)):
        doc.add("heading", title)
        if values.get(fid):
            doc.add("para", typed(values[fid]))
        else:
            doc.add("write", *[""] * blank)
    questions = list(values.get("questions", [])) + lines_of(values.get("own_questions", ""))
    doc.add("heading", t._("My questions for the OT"))
    if questions:
        doc.add("numbered", *[q if q in spec["ot_questions"] else typed(q) for q in questions])
    else:
        doc.add("write", "", "", "")
    doc.add("columns-start")
    for key, own, title in (("invite", "own_invite", t._("Who I will invite or bring")),
                            ("bring", "own_bring", t._("What I will bring"))):
        items = [*values.get(key, []), *(typed(i) for i in lines_of(values.get(own, "")))]
        doc.add("column-start").add("heading", title)
        if items:
            doc.add("checklist", *items)
        else:
            doc.add("write", "", "")
        doc.add("column-end")
    doc.add("columns-end")
    doc.add("heading", t._("Good to know"))
    doc.add("list", *spec["good_to_know"])
    doc.add("heading", t._("Notes during the meeting"))
    doc.add("write", *[""] * int(spec["notes_lines"]))
    return doc


class MeetingSheet(ToolView):
    section = "meeting-sheet"
    what = N_("your meeting sheet")
    make_label = N_("Make my sheet")
    unsaved = ()

    def __init__(self, tools: Tools, store, mode: Mode, folder: Path, english: Tools | None = None):
        """``english``: the tools in English, when ``tools`` are in another language: a tick saved in one
        language is shown in the other (ticks are kept as the words ticked)."""
        super().__init__(tools, store, mode)
        self.english = english
        spec, t = tools.meeting_sheet, self.t
        self.questions = ticks(spec["ot_questions"])
        self.invite = ticks(spec["invite"])
        self.bring = ticks(spec["bring"])
        for group in (self.questions, self.invite, self.bring):
            for box in group.values():
                box.observe(self._changed, names="value")
        self.restore()
        most = spec["most_questions"]
        parts = [views.html(self.intro_html() + self._from_lesson(folder, mode))]
        parts += [self.box(fid) for fid in spec["fields"]]
        parts += [_group(t._("Questions for the OT: tick up to {most}. A short list works best.", most=most)),
                  *self.questions.values(), self.box("own_questions"),
                  _group(t._("Whom to invite or bring")), *self.invite.values(), self.box("own_invite"),
                  _group(t._("What to bring")), *self.bring.values(), self.box("own_bring")]
        self.widget = w.VBox(parts + self.widget_parts(), layout=views.FULL_WIDTH)
        self.widget.add_class("course-tool")

    def fields(self):
        spec = self.tools.meeting_sheet
        return [self.tools.fields[f] for f in [*spec["fields"], "own_questions", "own_invite", "own_bring"]]


    def extra_values(self):
        most = self.tools.meeting_sheet["most_questions"]
        values = {"questions": ticked(self.questions), "invite": ticked(self.invite), "bring": ticked(self.bring)}
        problems = []
        if len(values["questions"]) > most:
            problems.append(Message.of(N_("You ticked {n} questions. Please tick {most} or fewer, so that your sheet "
                                          "fits on one page. You can add one or two of your own."),
                                       n=len(values["questions"]), most=most))
        if len(lines_of(self.box("own_questions").value if isinstance(self.box("own_questions").value, str)
                        else "")) + len(values["questions"]) > most + 3:
            problems.append(Message.of(N_("That is a lot of questions for one meeting. Please keep your list to the "
                                          "most important {most} or fewer, so that your sheet fits on one page."),
                                       most=most + 3))
        return values, problems

    def restore_extra(self, saved: dict) -> None:
        for key, group in (("questions", self.questions), ("invite", self.invite), ("bring", self.bring)):
            chosen = saved.get(key, [])
            if not isinstance(chosen, list):
                raise ValueError(key)
            # the same item in the other language counts too: the page in each language shares one answers file
            other = self.english.meeting_sheet[_ITEMS[key]] if self.english else []
            for n, (text, box) in enumerate(group.items()):
                box.value = text in chosen or (n < len(other) and other[n] in chosen)

    def compose(self, values: dict) -> Document:
        return compose_meeting_sheet(self.tools, values)

    def _from_lesson(self, folder: Path, mode: Mode) -> str:
        """What the learner wrote in the lesson ``from_lesson`` names (its short list), shown as a start,
        where answers are kept."""
        source = self.tools.meeting_sheet.get("from_lesson") or {}
        if not mode.keeps_answers or not source:
            return ""
        path = folder.parent / source["lesson"] / ANSWERS_FILE
        if not path.exists():
            return ""
        store = ResponseStore(path, source["lesson"], writable=False)
        text = store.get(source["answer"]) if not store.problem else None
        if not isinstance(text, str) or not text.strip():
            return ""
        t = self.t
        number = source["lesson"].split("-", 1)[0]  # "08": the number of its folder
        text = clean(Field(id="lesson", label=number, kind="long", max=5000), text[:5000])
        return render.box("info", "<strong>" + escape(t._("In lesson {number} you wrote this short list.",
                                                          number=number)) + "</strong> "
                          + escape(t._("Use it to fill in the boxes below."))
                          + f"<div style='white-space:pre-wrap;margin-top:0.3em'><bdi>{escape(text)}</bdi></div>", t=t)


def _group(title: str) -> w.HTML:
    return views.html(f"<p class='course-group' style='margin:0.8em 0 0.2em;font-weight:700'>{render.md_inline(title)}"
                      "</p>")


# -- for aides: the data sheet -----------------------------------------------------------------------
def compose_data_sheet(tools: Tools, values: dict) -> Document:
    spec, t = tools.data_sheet, tools.t
    doc = Document(title=spec["title"], slug="data-sheet", language=tools.language)
    doc.add("title", spec["title"])
    doc.add("lines", _labelled(t._("Student"), values.get("student", "")),
            _labelled(t._("Strategy"), values.get("strategy", "")), _labelled(t._("OT"), values.get("ot_name", "")))
    doc.add("para", _labelled(t._("Goal"), values.get("goal", "")))
    chosen = [fid for fid in spec["measures"] if values.get(fid)]
    columns = [spec["measures"][fid] for fid in chosen]
    if values.get("measure_prompt"):
        doc.add("small", t._("Prompt levels: {levels}.", levels="; ".join(spec["prompt_levels"])) + " "
                + spec["prompt_note"])
    tries = " ".join(["☐"] * int(spec["tries"]))
    cells = [literal(tries) if label == spec["measures"]["measure_trials"] else () for label in columns]
    header = [t._("Date"), *columns, t._("Initials")]
    weights = [1, *(_WIDER.get(fid, 1) for fid in chosen), 1]
    doc.table(header, [[(), *cells, ()] for _ in range(int(values.get("rows", spec["rows"])))], weights)
    doc.add("heading", t._("Remember"))
    doc.add("list", *spec["rules"])
    return doc


class DataSheet(ToolView):
    section = "data-sheet"
    what = N_("the data sheet")
    printed = AIDE_PRINTED
    make_label = N_("Make the data sheet")
    unsaved = ()

    def __init__(self, tools: Tools, store, mode: Mode):
        super().__init__(tools, store, mode)
        spec, t = tools.data_sheet, self.t
        self.rows = w.Dropdown(options=[str(n) for n in spec["row_choices"]], value=str(spec["rows"]),
                               description=t._("Lines on the sheet"), layout=views.FULL_WIDTH)
        self.rows.add_class("course-field")
        self.rows.observe(self._changed, names="value")
        self.restore()
        parts = [views.html(self.intro_html()), *(self.box(fid) for fid in spec["fields"]),
                 _group(t._("What the OT asked you to write down (each one becomes a column)")),
                 *(self.box(fid) for fid in spec["measures"]), self.rows]
        self.widget = w.VBox(parts + self.widget_parts(), layout=views.FULL_WIDTH)
        self.widget.add_class("course-tool")

    def fields(self):
        spec = self.tools.data_sheet
        return [self.tools.fields[f] for f in [*spec["fields"], *spec["measures"]]]


    def extra_values(self):
        choices = [str(n) for n in self.tools.data_sheet["row_choices"]]
        if self.rows.value not in choices:
            return {}, [Message.of(N_("Please choose how many lines the sheet should have."))]
        return {"rows": int(self.rows.value)}, []

    def restore_extra(self, saved: dict) -> None:
        if str(saved.get("rows")) in [str(n) for n in self.tools.data_sheet["row_choices"]]:
            self.rows.value = str(saved["rows"])

    def compose(self, values: dict) -> Document:
        return compose_data_sheet(self.tools, values)


# -- for aides: the strategy card --------------------------------------------------------------------
def compose_strategy_card(tools: Tools, values: dict) -> Document:
    spec, t = tools.strategy_card, tools.t
    title = spec["title"]
    doc = Document(title=title, slug="strategy-card", language=tools.language)
    doc.add("title", literal(f"{title}: ") + (typed(values["strategy"]) if values.get("strategy") else literal("")))
    doc.add("lines", _labelled(t._("Student"), values.get("student", "")),
            _labelled(tools.fields["when_to_use"].label, values.get("when_to_use", "")))
    doc.add("para", _labelled(t._("Goal"), values.get("goal", "")))
    for fid, heading, kind, blank in (("steps", t._("Steps, as the OT showed me"), "numbered", 4),
                                      ("prompts", t._("Prompts to use (only these)"), "list", 2)):
        doc.add("heading", heading)
        items = lines_of(values.get(fid, ""))
        if items:
            doc.add(kind, *(typed(i) for i in items))
        else:
            doc.add("write", *[""] * blank)
    doc.add("heading", tools.fields["what_to_record"].label)
    if values.get("what_to_record"):
        doc.add("para", typed(values["what_to_record"]))
    else:
        doc.add("write", "")
    doc.add("heading", t._("Stop, and tell the OT and the teacher the same day, if"))
    doc.add("list", *spec["stop_and_tell"])
    doc.add("para", spec["rule"])
    doc.add("lines", _labelled(tools.fields["contact_ot"].label, values.get("ot_name", "")),
            _labelled(tools.fields["ot_contact"].label, values.get("ot_contact", "")),
            _labelled(t._("The OT showed me on"), format_date(values.get("taught_on", ""), t)))
    return doc


class StrategyCard(ToolView):
    section = "strategy-card"
    what = N_("the strategy card")
    printed = AIDE_PRINTED
    make_label = N_("Make the strategy card")
    unsaved = ()

    def __init__(self, tools: Tools, store, mode: Mode):
        super().__init__(tools, store, mode)
        self.restore()
        parts = [views.html(self.intro_html()), *(self.box(fid) for fid in tools.strategy_card["fields"])]
        self.widget = w.VBox(parts + self.widget_parts(), layout=views.FULL_WIDTH)
        self.widget.add_class("course-tool")

    def fields(self):
        return [self.tools.fields[f] for f in self.tools.strategy_card["fields"]]


    def compose(self, values: dict) -> Document:
        return compose_strategy_card(self.tools, values)


# -- for aides: the first-week checklist -----------------------------------------------------------
def compose_first_week(tools: Tools, values: dict) -> Document:
    spec, t = tools.first_week, tools.t
    doc = Document(title=spec["title"], slug="first-week-checklist", compact=True, language=tools.language)
    doc.add("title", spec["title"])
    doc.add("checklist", *spec["checklist"])
    doc.add("heading", spec["contacts_title"])
    rows = [[literal(tools.fields[fid].label), typed(values[fid]) if values.get(fid) else ()]
            for fid in spec["contacts"]]
    doc.table([t._("Who"), t._("Name, and how to reach them")], rows)
    return doc


class FirstWeek(ToolView):
    section = "first-week"
    what = N_("the checklist")
    printed = AIDE_PRINTED
    make_label = N_("Make the checklist")
    unsaved = ()

    def __init__(self, tools: Tools, store, mode: Mode):
        super().__init__(tools, store, mode)
        self.restore()
        parts = [views.html(self.intro_html()),
                 _group(self.t._("{title}: names, and how to reach them (you can leave any empty and write it in by "
                                 "hand)", title=tools.first_week["contacts_title"])),
                 *(self.box(fid) for fid in tools.first_week["contacts"])]
        self.widget = w.VBox(parts + self.widget_parts(), layout=views.FULL_WIDTH)
        self.widget.add_class("course-tool")

    def fields(self):
        return [self.tools.fields[f] for f in self.tools.first_week["contacts"]]


    def compose(self, values: dict) -> Document:
        return compose_first_week(self.tools, values)
