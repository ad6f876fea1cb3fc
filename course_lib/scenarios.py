"""The branching "what would you do?" player.

A scenario is data (:class:`course_lib.content.Scenario`, written in ``lesson.yaml``);
:class:`ScenarioRun` walks it (pure state, easy to test) and :class:`ScenarioPlayer` draws
it. Each choice shows its feedback before the learner moves on; "Back" undoes the last
move; an ending is clearly marked and offers a fresh start. The path taken is saved, so a
reopened lesson continues where the learner stopped.
"""

from __future__ import annotations

import ipywidgets as w

from . import render
from .content import Scenario
from .i18n import ENGLISH, Language
from .store import ResponseStore
from .views import BUTTON_STYLE, FULL_WIDTH, ROW, Element, button, card, html, live, safely, text_of

CHOICE = w.Layout(width="100%", max_width="46rem", height="auto", min_height="2.4rem")


class ScenarioRun:
    """Where a learner is in a scenario: the steps visited, and the choice just made."""

    def __init__(self, scenario: Scenario, path: object = None):
        self.scenario = scenario
        self.path = [scenario.start]
        self.pending: int | None = None  # index of a choice whose feedback is showing
        if isinstance(path, list) and self._valid_path(path):
            self.path = list(path)

    def _valid_path(self, path: list) -> bool:
        steps = self.scenario.steps
        if not path or path[0] != self.scenario.start or any(not isinstance(s, str) or s not in steps for s in path):
            return False
        return all(any(c.next == b for c in steps[a].choices) for a, b in zip(path, path[1:], strict=False))

    @property
    def step(self):
        return self.scenario.steps[self.path[-1]]

    def choose(self, step_id: str, index: object) -> bool:
        """Pick choice ``index`` at ``step_id``; refused unless that is the step now showing."""
        if step_id != self.step.id or self.pending is not None:
            return False
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(self.step.choices):
            return False
        self.pending = index
        return True

    def go_on(self) -> bool:
        if self.pending is None:
            return False
        self.path.append(self.step.choices[self.pending].next)
        self.pending = None
        return True

    def back(self) -> bool:
        if self.pending is not None:
            self.pending = None
            return True
        if len(self.path) > 1:
            self.path.pop()
            return True
        return False

    def restart(self) -> None:
        self.path, self.pending = [self.scenario.start], None


class ScenarioPlayer(Element):
    """Draws a :class:`ScenarioRun`. Its verbs (``choose``, ``go_on``, ``back``, ``restart``) are the
    buttons a learner presses; ``text``, ``choices`` and ``feedback`` are what the learner reads."""

    def __init__(self, scenario: Scenario, store: ResponseStore, t: Language = ENGLISH):
        self.store, self.t = store, t
        self.key = scenario.store_key
        self.run = ScenarioRun(scenario, store.get(self.key))
        # The feedback on a choice, in a live region that is on the page before it is filled, so a
        # screen reader announces it (a region added with its text is often not read).
        self.status = live()
        self.step_text = html()
        self.step_text.add_class("course-step")  # the page's script moves focus here after a choice
        self.body = w.VBox(layout=FULL_WIDTH)
        self.widget = card(
            [html(f"<p style='margin:0.2em 0;font-size:90%'><strong>{t._('What would you do?')}</strong> "
                  f"{t._('(a practice story, not graded)')}</p><h3 style='margin:0.2em 0'>"
                  f"{render.md_inline(scenario.title)}</h3>"),
             self.step_text, self.status, self.body],
            "course-scenario",
            layout=w.Layout(border="2px solid #0b3d91", padding="0.4rem 0.8rem", margin="0.6rem 0",
                            max_width="50rem"),
        )
        self.draw()

    # -- what the learner reads --------------------------------------------------------------
    @property
    def text(self) -> str:
        return text_of(self.step_text.value)

    @property
    def choices(self) -> list[str]:
        """The labels of the buttons now shown, in order."""
        return [c.description for c in self.body.children if isinstance(c, w.Button)] + [
            b.description for c in self.body.children if isinstance(c, w.HBox) for b in c.children]

    @property
    def feedback(self) -> str:
        return text_of(" ".join([self.status.value, *(getattr(c, "value", "") for c in self.body.children)]))

    # -- what the learner presses ------------------------------------------------------------
    def press(self, label: str) -> None:
        """Press the button labelled ``label`` (a story choice, Continue, Back or Start again)."""
        buttons = [c for c in self.body.children if isinstance(c, w.Button)] + [
            b for c in self.body.children if isinstance(c, w.HBox) for b in c.children]
        next(b for b in buttons if b.description == label).click()

    def draw(self) -> None:
        run, step, t = self.run, self.run.step, self.t
        self.step_text.value = f"<div tabindex='-1' class='course-step-text'>{render.md(step.text)}</div>"
        parts: list[w.Widget] = []
        chosen = ""
        if step.is_ending:
            parts.append(html(render.box("info", f"<strong>{t._('The end of this story.')}</strong> "
                                         + t._("You can go back and try other choices, or start again."), t=t)))
            parts.append(self._restart_row())
        elif run.pending is not None:
            choice = step.choices[run.pending]
            chosen = render.box("info", f"<strong>{t._('You chose:')}</strong> "
                                f"{render.md_inline(choice.text)}<br>{render.md_inline(choice.feedback)}", t=t)
            go_on = button(t._("Continue"), "primary")
            go_on.on_click(lambda _b: self._go_on())
            parts.append(self._row([go_on, *self._back_buttons()]))
        else:
            parts.append(html(f"<p style='margin:0.3em 0'><strong>{t._('What would you do?')}</strong></p>"))
            for i, choice in enumerate(step.choices):
                b = w.Button(description=choice.text, tooltip=choice.text, layout=CHOICE, style=BUTTON_STYLE)
                b.add_class("course-choice")
                b.on_click(lambda _b, sid=step.id, i=i: self._choose(sid, i))
                parts.append(b)
            if len(run.path) > 1:
                parts.append(self._row(self._back_buttons()))
        old = self.body.children
        self.status.value = chosen
        self.body.children = parts
        for widget in old:  # free what was replaced, or a long story keeps every widget it ever drew
            _close(widget)

    def _row(self, buttons: list[w.Button]) -> w.HBox:
        row = w.HBox(buttons, layout=ROW)
        row.add_class("course-actions")
        return row

    def _back_buttons(self) -> list[w.Button]:
        if self.run.pending is None and len(self.run.path) == 1:
            return []
        back = button(self.t._("Back"))
        back.on_click(lambda _b: self._back())
        return [back]

    def _restart_row(self) -> w.HBox:
        again = button(self.t._("Start again"), "primary")
        again.on_click(lambda _b: self._restart())
        return self._row([again, *self._back_buttons()])

    @safely
    def _choose(self, step_id: str, index: int) -> None:
        if self.run.choose(step_id, index):
            self.draw()

    @safely
    def _go_on(self) -> None:
        if self.run.go_on():
            self._save()
            self.draw()

    @safely
    def _back(self) -> None:
        if self.run.back():
            self._save()
            self.draw()

    @safely
    def _restart(self) -> None:
        self.run.restart()
        self._save()
        self.draw()

    def _save(self) -> None:
        self.store.save(self.key, list(self.run.path))


def _close(widget: w.Widget) -> None:
    """Close a widget and its children, except the shared layout and style objects."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()
