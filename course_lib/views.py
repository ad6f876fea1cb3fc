"""Widgets for questions and reflections. They only draw and collect: what an answer means
is decided in :mod:`course_lib.answers`, where it is saved in :mod:`course_lib.store`.

Every callback re-reads and re-validates widget values, because in the web view a browser
can send any value, even to a disabled or hidden widget. No answer key is ever put in a
widget trait, where a browser could read it.
"""

from __future__ import annotations

import logging
from functools import wraps

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from . import render
from .answers import AnswerError, mark_self_check, normalise, normalise_reflection
from .content import Question, Reflection
from .store import ResponseStore

log = logging.getLogger("course_lib")
_SORT_PLACEHOLDER = ("Choose…", "")
# Widgets share their layout and style objects where they look alike: every one of them is a
# model the browser must fetch and build before the page is interactive (fewer, faster pages).
FULL_WIDTH = w.Layout(width="100%", max_width="48rem")
ROW = w.Layout(flex_flow="row wrap")
CARD = w.Layout(border="1px solid #9e9e9e", padding="0.4rem 0.8rem", margin="0.6rem 0", max_width="50rem")
BUTTON = w.Layout(width="auto", min_width="8rem", margin="0.2rem 0.5rem 0.2rem 0")
AUTO_WIDTH = w.Layout(width="auto")
PLAIN = w.Layout()
HTML_STYLE = HTMLStyle()
BUTTON_STYLE = w.ButtonStyle()
CHECKBOX_STYLE = CheckboxStyle()
WIDE_LABEL = DescriptionStyle(description_width="initial")
NOT_KEPT = "Answers given here are not kept (see the note at the top of the lesson)."


def safely(method):
    """Run a widget callback; on an unexpected error show a calm message instead of a traceback."""

    @wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception:  # noqa: BLE001 - the learner must never see a traceback
            log.exception("course_lib callback failed")
            self.status.value = render.message(
                "warn", "Sorry, something went wrong with this question. Your saved answers are safe. "
                "Please try again, or reload the page.")

    return run


def button(label: str, style: str = "") -> w.Button:
    return w.Button(description=label, tooltip=label, button_style=style, layout=BUTTON, style=BUTTON_STYLE)


def html(value: str = "", layout: w.Layout = FULL_WIDTH) -> w.HTML:
    return w.HTML(value, layout=layout, style=HTML_STYLE)


class QuestionView:
    """One self-check (checked at once) or graded question (saved for the instructor)."""

    def __init__(self, question: Question, store: ResponseStore):
        self.question, self.store = question, store
        self.key = f"{'questions' if question.graded else 'self_checks'}/{question.id}"
        self.status = html()
        self.hint_box = html()
        self.inputs = self._make_inputs()
        self.submit_button = button("Save my answer" if question.graded else "Check my answer", "primary")
        self.submit_button.on_click(lambda _b: self.submit())
        actions = [self.submit_button]
        if question.hint:
            self.hint_button = button("Show a hint")
            self.hint_button.on_click(lambda _b: self.show_hint())
            actions.append(self.hint_button)
        kind_note = {"single": "Choose one answer.", "multiple": "Tick every answer that fits.",
                     "sort": "Choose a place for each item."}[question.kind]
        label = "Graded question" if question.graded else "Check yourself (practice, not graded)"
        self.widget = w.VBox(
            [html(f"<p style='margin:0.2em 0;font-size:90%'><strong>{label}</strong></p>"
                  f"<div class='course-prompt'>{render.md(question.prompt)}</div>"
                  f"<p style='margin:0.2em 0;font-size:90%'>{kind_note}</p>"),
             self.inputs, w.HBox(actions, layout=ROW),
             self.hint_box, self.status],
            layout=CARD,
        )
        self.widget.add_class("course-question")
        self._restore()

    # -- inputs ----------------------------------------------------------------------------
    def _make_inputs(self) -> w.Widget:
        q = self.question
        if q.kind == "single":
            self.radio = w.RadioButtons(options=[(o.text, o.id) for o in q.options], value=None,
                                        description="", layout=FULL_WIDTH)
            return self.radio
        if q.kind == "multiple":
            self.boxes = {o.id: w.Checkbox(value=False, description=o.text, indent=False, layout=FULL_WIDTH,
                                    style=CHECKBOX_STYLE)
                          for o in q.options}
            return w.VBox(list(self.boxes.values()))
        options = [_SORT_PLACEHOLDER] + [(c.text, c.id) for c in q.categories]
        self.dropdowns = {
            o.id: w.Dropdown(options=options, value="", description=o.text,
                             style=WIDE_LABEL, layout=AUTO_WIDTH)
            for o in q.options
        }
        return w.VBox(list(self.dropdowns.values()))

    def raw_value(self):
        """What the widgets hold now, unchecked (it may have come from a browser)."""
        q = self.question
        if q.kind == "single":
            return self.radio.value
        if q.kind == "multiple":
            return [i for i, b in self.boxes.items() if b.value is True]
        return {i: d.value for i, d in self.dropdowns.items()}

    def show_value(self, value) -> None:
        q = self.question
        if q.kind == "single":
            self.radio.value = value
        elif q.kind == "multiple":
            for i, b in self.boxes.items():
                b.value = i in value
        else:
            for i, d in self.dropdowns.items():
                d.value = value[i]

    # -- actions ---------------------------------------------------------------------------
    @safely
    def submit(self, raw=...) -> bool:
        """Check (self-check) or save (graded) the current answer; ``raw`` overrides the widgets."""
        try:
            answer = normalise(self.question, self.raw_value() if raw is ... else raw)
        except AnswerError as exc:
            self.status.value = render.message("warn", str(exc))
            return False
        self.store.save(self.key, answer)
        if self.question.graded:
            self.status.value = render.message("saved", self._saved_note())
        else:
            self.status.value = render.marked(mark_self_check(self.question, answer))
        return True

    @safely
    def show_hint(self) -> None:
        self.hint_box.value = render.box("info", "<strong>Hint:</strong> " + render.md_inline(self.question.hint))

    def _saved_note(self) -> str:
        if not self.store.writable:
            return NOT_KEPT
        return "Your instructor will grade this after you hand in the lesson. You can change it until then."

    def _restore(self) -> None:
        """Show the answer saved earlier, if it is still a valid answer to this question."""
        saved = self.store.get(self.key)
        if saved is None:
            return
        try:
            answer = normalise(self.question, saved)
        except AnswerError:
            self.status.value = render.message("warn", "Your earlier answer could not be read. Please answer again.")
            return
        self.show_value(answer)
        if self.question.graded:
            self.status.value = render.message("saved", "Your answer from last time is shown. " + self._saved_note())
        else:
            self.status.value = render.marked(mark_self_check(self.question, answer))


class ReflectionView:
    """A short written answer in a text box, saved for a person to grade."""

    def __init__(self, reflection: Reflection, store: ResponseStore):
        self.reflection, self.store = reflection, store
        self.key = f"reflections/{reflection.id}"
        self.status = html()
        self.hint_box = html()
        self.text = w.Textarea(value=store.get(self.key) or "", placeholder="Write a few sentences here.",
                               description="Your reflection", style={"description_width": "initial"},
                               layout=w.Layout(width="100%", max_width="48rem", height="9rem"))
        self.save_button = button("Save my reflection", "primary")
        self.save_button.on_click(lambda _b: self.submit())
        actions = [self.save_button]
        if reflection.hint:
            hint = button("Show a hint")
            hint.on_click(lambda _b: self.show_hint())
            actions.append(hint)
        self.widget = w.VBox(
            [html("<p style='margin:0.2em 0;font-size:90%'><strong>Reflection (graded by a person)"
                  f"</strong></p>{render.md(reflection.prompt)}"),
             self.text, w.HBox(actions, layout=ROW),
             self.hint_box, self.status],
            layout=CARD,
        )
        if store.get(self.key):
            self.status.value = render.message("saved", "Your reflection from last time is shown.")

    @safely
    def submit(self, raw=...) -> bool:
        try:
            text = normalise_reflection(self.text.value if raw is ... else raw)
        except AnswerError as exc:
            self.status.value = render.message("warn", str(exc))
            return False
        self.store.save(self.key, text)
        note = (NOT_KEPT if not self.store.writable
                else "A person will read it after you hand in the lesson. You can change it until then.")
        self.status.value = render.message("saved", note)
        return True

    @safely
    def show_hint(self) -> None:
        self.hint_box.value = render.box("info", "<strong>Hint:</strong> " + render.md_inline(self.reflection.hint))
