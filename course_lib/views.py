"""Widgets for questions and reflections. They only draw and collect: what an answer means is
decided by the question's kind (:mod:`course_lib.questions`), where it is kept by
:mod:`course_lib.store`.

Each kind has one input widget class here (:class:`Input` subclasses register themselves for
their question class), so adding a kind adds a class and touches nothing else.

Every callback re-reads and re-validates widget values, because in the web view a browser can
send any value, even to a disabled or hidden widget. No answer key is ever put in a widget
trait, where a browser could read it; feedback that names the right answer is sent only after
the learner has answered.

Views have a small public surface for tools and tests, the same verbs a learner has:
``choose(value)``, ``submit()``, ``show_hint()``, ``show_answer()``, and ``feedback`` (the text
now shown).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from html import unescape

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from . import render
from .i18n import ENGLISH, N_, Language
from .questions import AnswerError, MultipleChoice, Question, Reflection, SingleChoice, Sorting
from .store import ResponseStore, draft_key

log = logging.getLogger("course_lib")
# Widgets share their layout and style objects where they look alike: every one of them is a
# model the browser must fetch and build before the page is interactive (fewer, faster pages).
FULL_WIDTH = w.Layout(width="100%", max_width="48rem")
ROW = w.Layout(flex_flow="row wrap")
CARD = w.Layout(border="1px solid #9e9e9e", padding="0.4rem 0.8rem", margin="0.6rem 0", max_width="50rem")
BUTTON = w.Layout(width="auto", min_width="8rem", margin="0.2rem 0.5rem 0.2rem 0")
PLAIN = w.Layout()
HTML_STYLE = HTMLStyle()
BUTTON_STYLE = w.ButtonStyle()
CHECKBOX_STYLE = CheckboxStyle()
WIDE_LABEL = DescriptionStyle(description_width="initial")
_TAGS = re.compile(r"<style[^>]*>.*?</style>|<[^>]+>", re.S)


def safely(method):
    """Run a widget callback; on an unexpected error show a calm message instead of a traceback."""

    @wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception:  # noqa: BLE001 - the learner must never see a traceback
            log.exception("course_lib callback failed")
            t = getattr(self, "t", ENGLISH)
            self.status.value = render.message(
                "warn", t._("Sorry, something went wrong with this question. Your saved answers are safe. "
                            "Please try again, or reload the page."), t=t)

    return run


def button(label: str, style: str = "") -> w.Button:
    return w.Button(description=label, tooltip=label, button_style=style, layout=BUTTON, style=BUTTON_STYLE)


def html(value: str = "", layout: w.Layout = FULL_WIDTH) -> w.HTML:
    return w.HTML(value, layout=layout, style=HTML_STYLE)


def live() -> w.HTML:
    """An area whose changes a screen reader announces (the page's script marks ``course-live``
    elements ``aria-live``): feedback, hints and notices go here."""
    area = html()
    area.add_class("course-live")
    return area


def card(children: list[w.Widget], css_class: str, layout: w.Layout = CARD) -> w.VBox:
    box = w.VBox(children, layout=layout)
    box.add_class("course-card")
    box.add_class(css_class)
    return box


def text_of(value: str) -> str:
    """What a piece of our HTML says, as plain text (for tests and tools)."""
    return " ".join(unescape(_TAGS.sub(" ", value)).split())


class Element:
    """A lesson element: it shows its widget when it is a cell's value."""

    widget: w.Widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


class Shown(Element):
    """Any widget as an element (a page part with no verbs of its own)."""

    def __init__(self, widget: w.Widget):
        self.widget = widget


# -- one input widget per kind ---------------------------------------------------------------------
INPUTS: dict[type[Question], type[Input]] = {}


class Input:
    """Draws the choices of one kind of question and reads back what the learner chose."""

    question_class: type[Question]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        INPUTS[cls.question_class] = cls

    def __init__(self, question: Question, t: Language = ENGLISH):
        self.question, self.t = question, t
        self.widget = self._build()

    @staticmethod
    def for_question(question: Question, t: Language = ENGLISH) -> Input:
        return INPUTS[type(question)](question, t)

    def _build(self) -> w.Widget:
        raise NotImplementedError

    def value(self):
        """What the widgets hold now, unchecked (it may have come from a browser)."""
        raise NotImplementedError

    def show(self, value) -> None:
        """Put a (normalised or draft) value back into the widgets."""
        raise NotImplementedError

    def observe(self, callback: Callable[[], None]) -> None:
        for widget in self._value_widgets():
            widget.observe(lambda _change: callback(), names="value")

    def _value_widgets(self) -> list[w.Widget]:
        raise NotImplementedError


class ChoiceInput(Input):
    question_class = SingleChoice

    def _build(self):
        self.radio = w.RadioButtons(options=[(o.text, o.id) for o in self.question.options], value=None,
                                    description="", layout=FULL_WIDTH)
        return self.radio

    def value(self):
        return self.radio.value

    def show(self, value):
        self.radio.value = value if value in self.question.option_ids else None

    def _value_widgets(self):
        return [self.radio]


class TickInput(Input):
    question_class = MultipleChoice

    def _build(self):
        self.boxes = {o.id: w.Checkbox(value=False, description=o.text, indent=False, layout=FULL_WIDTH,
                                       style=CHECKBOX_STYLE) for o in self.question.options}
        return w.VBox(list(self.boxes.values()))

    def value(self):
        return [i for i, b in self.boxes.items() if b.value is True]

    def show(self, value):
        chosen = set(value) if isinstance(value, (list, tuple)) else set()
        for i, b in self.boxes.items():
            b.value = i in chosen

    def _value_widgets(self):
        return list(self.boxes.values())


class SortInput(Input):
    """Each item with its choices as radio buttons under it: a closed dropdown shows one line of its
    choice, cut off on a phone, where every choice here wraps and can be read and tapped whole."""

    question_class = Sorting

    def _build(self):
        choices = [(c.text, c.id) for c in self.question.categories]
        self.groups = {o.id: w.RadioButtons(options=choices, value=None, description=o.text, style=WIDE_LABEL,
                                            layout=FULL_WIDTH) for o in self.question.options}
        for group in self.groups.values():
            group.add_class("course-sort-item")
        return w.VBox(list(self.groups.values()), layout=FULL_WIDTH)

    def value(self):
        return {i: g.value or "" for i, g in self.groups.items()}

    def show(self, value):
        value = value if isinstance(value, dict) else {}
        for i, g in self.groups.items():
            g.value = value.get(i) if value.get(i) in self.question.category_ids else None

    def _value_widgets(self):
        return list(self.groups.values())


# -- what happens when the learner answers ------------------------------------------------------------
@dataclass(frozen=True)
class Response:
    """How a lesson answers a graded question in its edition and mode (see :mod:`course_lib.lessons`).

    ``result_now``: show the marked result at once (the web view); ``saved_note``: what to say after
    saving (a cohort learner: "your instructor will grade it"; a self-paced one: "check your
    lesson at the end")."""

    result_now: bool
    saved_note: str
    button: str = N_("Save my answer")  # a message: translated where it is shown
    kind: str = "saved"  # the box the note is shown in ("info" where nothing is saved)


class QuestionView(Element):
    """One self-check (marked at once) or graded question (saved; marked as its :class:`Response` says)."""

    def __init__(self, question: Question, store: ResponseStore, response: Response | None = None,
                 t: Language = ENGLISH):
        self.question, self.store, self.t = question, store, t
        self.response = response or Response(False, "")
        self.key = question.store_key
        self.status, self.hint_box = live(), live()
        self.tries, self.hints_shown = 0, 0
        self.input = Input.for_question(question, t)
        label = t._("Check my answer") if not question.graded else t._(self.response.button)
        self.submit_button = button(label, "primary")
        self.submit_button.on_click(lambda _b: self.submit())
        self.hint_button = button(t._("Show a hint"))
        self.hint_button.on_click(lambda _b: self.show_hint())
        self.answer_button = button(t._("Show the answer"))
        self.answer_button.on_click(lambda _b: self.show_answer())
        self.actions = w.HBox([self.submit_button], layout=ROW)
        self.actions.add_class("course-actions")
        what = t._("Graded question") if question.graded else t._("Check yourself (practice, not graded)")
        self.widget = card(
            [html(f"<p style='margin:0.2em 0;font-size:90%'><strong>{what}</strong></p>"
                  f"<div class='course-prompt'>{render.md(question.prompt)}</div>"
                  f"<p style='margin:0.2em 0;font-size:90%'>{t._(question.instruction)}</p>"),
             self.input.widget, self.actions, self.hint_box, self.status],
            "course-question")
        self._restore()
        self._update_actions()
        self.input.observe(self._changed)

    # -- the learner's verbs ---------------------------------------------------------------------
    def choose(self, value) -> None:
        """Set the widgets as a learner would (a value in the question's canonical form)."""
        self.input.show(value)

    @property
    def feedback(self) -> str:
        """The hint and the feedback now shown, as plain text."""
        return " ".join(t for t in (text_of(self.hint_box.value), text_of(self.status.value)) if t)

    @safely
    def submit(self, raw=...) -> bool:
        """Check (self-check) or save (graded) the current answer; ``raw`` stands for a browser's value."""
        try:
            answer = self.question.normalise(self.input.value() if raw is ... else raw)
        except AnswerError as exc:
            self.status.value = render.message("warn", self.t.message(exc.message), t=self.t)
            return False
        self.store.save(self.key, answer)
        self.store.discard(draft_key(self.key))
        self.tries += 1
        if not self.question.graded:
            self.status.value = render.self_check(self.question.mark(answer), t=self.t)
        elif self.response.result_now and self.question.key is not None:
            self.status.value = render.graded_result(self.question, answer, t=self.t) + self._note()
        else:
            self.status.value = render.message(self.response.kind, self.response.saved_note, t=self.t)
        self._update_actions()
        return True

    @safely
    def show_hint(self) -> None:
        hints = self.question.hints
        if not hints:
            return
        self.hints_shown = min(self.hints_shown + 1, len(hints))
        shown = "".join(f"<p style='margin:0.2em 0'><strong>{_hint_label(self.t, n, len(hints))}</strong> "
                        f"{render.md_inline(h)}</p>" for n, h in enumerate(hints[:self.hints_shown], 1))
        self.hint_box.value = render.box("info", shown, t=self.t)
        self._update_actions()

    @safely
    def show_answer(self) -> None:
        """The whole answer of a self-check, after at least one try (the last step after hints)."""
        if self.question.graded or self.tries == 0:
            return
        answer = self.question.normalise(self.store.get(self.key))
        self.status.value = render.self_check(self.question.mark(answer), reveal=True, t=self.t) + render.box(
            "info", f"<strong>{self.t._('The answer:')}</strong> "
                    f"{render.md_inline(self.question.describe(self.question.key))}", t=self.t)

    # -- helpers -------------------------------------------------------------------------------
    def _note(self) -> str:
        return render.message("info", self.response.saved_note, t=self.t) if self.response.saved_note else ""

    def _update_actions(self) -> None:
        actions = [self.submit_button]
        if self.question.hints:
            more = self.hints_shown < len(self.question.hints)
            self.hint_button.description = self.hint_button.tooltip = (
                self.t._("Show a hint") if self.hints_shown == 0 else self.t._("Show another hint"))
            if more:
                actions.append(self.hint_button)
        if not self.question.graded and self.tries:
            actions.append(self.answer_button)
        if list(self.actions.children) != actions:
            self.actions.children = actions

    def _changed(self) -> None:
        """Keep a changed but unsaved answer, so a restart does not silently bring back the old one."""
        try:
            raw = self.input.value()
            if raw == self.store.get(self.key) or raw in (None, [], {}) or self._empty_sort(raw):
                return
            self.store.save(draft_key(self.key), raw)
        except Exception:  # noqa: BLE001 - a draft is a convenience; never disturb the learner
            log.exception("could not keep a draft")

    def _empty_sort(self, raw) -> bool:
        return isinstance(raw, dict) and not any(raw.values())

    def _restore(self) -> None:
        """Show the answer saved earlier, or a newer unsaved change, if still valid for this question."""
        saved, draft = self.store.get(self.key), self.store.get(draft_key(self.key))
        if saved is not None:
            answer = self.question.answer_from(saved)
            if answer is None:
                self.status.value = render.message("warn", self.t._("Your earlier answer could not be read. "
                                                                    "Please answer again."), t=self.t)
            else:
                self.input.show(answer)
                self.tries = 1
                if not self.question.graded:
                    self.status.value = render.self_check(self.question.mark(answer), t=self.t)
                elif self.response.result_now and self.question.key is not None:
                    self.status.value = render.graded_result(self.question, answer, t=self.t)
                else:
                    self.status.value = render.message("saved", self.t._("Your answer from last time is shown.") + " "
                                                       + self.response.saved_note, t=self.t)
        if draft is not None and draft != saved:
            self.input.show(draft)
            changed = (self.t._("You changed this answer last time but did not check it.") if not self.question.graded
                       else self.t._("You changed this answer last time but did not save it."))
            self.status.value = render.box("draft", changed + " " + self.t._(
                "Press <strong>{button}</strong> to keep it.", button=self.submit_button.description), t=self.t)


class ReflectionView(Element):
    """A short written answer in a text box, saved for a person to grade (or, studying alone, to
    compare with what a strong answer includes)."""

    def __init__(self, reflection: Reflection, store: ResponseStore, saved_note: str = "",
                 show_rubric: bool = False, t: Language = ENGLISH):
        self.reflection, self.store, self.t = reflection, store, t
        self.saved_note, self.show_rubric = saved_note, show_rubric and reflection.rubric is not None
        self.key = reflection.store_key
        self.status, self.hint_box, self.rubric_box = live(), live(), html()
        saved, draft = store.get(self.key), store.get(draft_key(self.key))
        self.text = w.Textarea(value=draft if isinstance(draft, str) else saved if isinstance(saved, str) else "",
                               placeholder=t._("Write a few sentences here."), description=t._("Your reflection"),
                               continuous_update=False, style={"description_width": "initial"},
                               layout=w.Layout(width="100%", max_width="48rem"))  # its height: course.css
        self.save_button = button(t._("Save my reflection"), "primary")
        self.save_button.on_click(lambda _b: self.submit())
        actions = [self.save_button]
        if reflection.hints:
            hint = button(t._("Show a hint"))
            hint.on_click(lambda _b: self.show_hint())
            actions.append(hint)
        row = w.HBox(actions, layout=ROW)
        row.add_class("course-actions")
        self.widget = card(
            [html(f"<p style='margin:0.2em 0;font-size:90%'><strong>{t._('Reflection')}</strong></p>"
                  f"<div class='course-prompt'>{render.md(reflection.prompt)}</div>"),
             self.text, row, self.hint_box, self.status, self.rubric_box],
            "course-reflection")
        if isinstance(draft, str) and draft != saved:
            self.status.value = render.box("draft", t._("You changed your reflection last time but did not save it.")
                                           + " " + t._("Press <strong>{button}</strong> to keep it.",
                                                       button=self.save_button.description), t=t)
        elif saved:
            self.status.value = render.message("saved", t._("Your reflection from last time is shown."), t=t)
            self._reveal_rubric()
        self.text.observe(lambda _c: self._changed(), names="value")

    def write(self, text: str) -> None:
        self.text.value = text

    @property
    def feedback(self) -> str:
        return " ".join(t for t in (text_of(self.hint_box.value), text_of(self.status.value),
                                    text_of(self.rubric_box.value)) if t)

    @safely
    def submit(self, raw=...) -> bool:
        try:
            text = Reflection.normalise(self.text.value if raw is ... else raw)
        except AnswerError as exc:
            self.status.value = render.message("warn", self.t.message(exc.message), t=self.t)
            return False
        self.store.save(self.key, text)
        self.store.discard(draft_key(self.key))
        self.status.value = render.message("saved", self.saved_note, t=self.t)
        self._reveal_rubric()
        return True

    @safely
    def show_hint(self) -> None:
        self.hint_box.value = render.box("info", "".join(
            f"<p style='margin:0.2em 0'><strong>{self.t._('Hint:')}</strong> {render.md_inline(h)}</p>"
            for h in self.reflection.hints), t=self.t)

    def _reveal_rubric(self) -> None:
        if self.show_rubric:
            self.rubric_box.value = render.strong_answer(self.reflection, t=self.t)

    def _changed(self) -> None:
        try:
            if isinstance(self.text.value, str) and self.text.value.strip() and \
                    self.text.value != self.store.get(self.key):
                self.store.save(draft_key(self.key), self.text.value[:20_000])
        except Exception:  # noqa: BLE001
            log.exception("could not keep a draft")


def _hint_label(t: Language, n: int, of: int) -> str:
    """"Hint:" or, where there are several, "Hint 2:"."""
    return t._("Hint {n}:", n=n) if of > 1 else t._("Hint:")
