"""Hand in a lesson to the instructor, and see their feedback: a button at the end of the lesson, never a command.

In the cohort edition (no answer keys: an instructor grades), the end of a lesson shows:

* **Hand in this lesson to my instructor**: nbgrader's ``ExchangeSubmit`` of the lesson folder, from
  the learner's own kernel (:func:`course_lib.hub.exchange.hand_in`). nbgrader is imported only when
  the button is pressed, so a lesson's kernel does not load it otherwise;
* when it was handed in, and that the learner may hand it in again until the instructor collects it
  (the later one counts; nbgrader keeps both);
* **Your instructor has returned feedback**, with the score and a link to the feedback page, once
  the feedback is in the lesson's ``feedback/`` folder (the learner's server on the hub fetches it
  by itself; **Look for feedback** fetches it at once).

Times handed in are kept in ``.course-hand-ins.json`` in the learner's course folder (beside the
lesson folders), so the lesson shows them when it opens without asking nbgrader.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import ipywidgets as w

from . import render, views
from .files import atomic_write
from .i18n import ENGLISH, N_, Language

RECORD = ".course-hand-ins.json"
SUMMARY = re.compile(r'<p class="summary">(.*?)</p>', re.S)  # the feedback page's score line (course_feedback)
NOT_HERE = N_("Your instructor grades this lesson after you hand it in, and sends you feedback with the right "
              "answers. Your answers are saved as you go.")
NOT_HANDED_IN = N_("Your lesson could not be handed in just now. Your answers are safe; try again in a minute, or tell "
                   "your instructor.")


def handed_in(folder: Path) -> list[str]:
    """nbgrader's times (UTC) at which this lesson was handed in, oldest first."""
    try:
        data = json.loads((folder.parent / RECORD).read_text(encoding="utf-8"))
        times = data.get(folder.name, []) if isinstance(data, dict) else []
    except (OSError, ValueError):
        return []
    return sorted(t for t in times if isinstance(t, str))


def _remember(folder: Path, stamp: str) -> None:
    path = folder.parent / RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    data[folder.name] = sorted({*(t for t in data.get(folder.name, []) if isinstance(t, str)), stamp})
    atomic_write(path, json.dumps(data, indent=1))


def feedback_page(folder: Path) -> Path | None:
    """The newest feedback page nbgrader fetched for this lesson (``feedback/<time>/<lesson>.html``)."""
    pages = sorted((folder / "feedback").glob(f"*/{folder.name}.html"))
    return pages[-1] if pages else None


def when(stamp: str, t: Language = ENGLISH) -> str:
    """nbgrader's ``2026-12-02 16:58:43.253415 UTC`` as this machine's local time, in words of ``t``
    ("Wednesday, December 2, 2026 at 16:58"; "miércoles, 2 de diciembre de 2026 a las 16:58")."""
    from babel.dates import format_date

    try:
        moment = datetime.strptime(stamp.replace(" UTC", ""), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    local = moment.astimezone()
    return t._("{day} at {time}", day=format_date(local, format="full", locale=t.code), time=f"{local:%H:%M}")


class HandIn(views.Element):
    """The end of a cohort lesson: hand it in, when it was handed in, the feedback when it is back."""

    def __init__(self, lesson):
        self.lesson, self.folder = lesson, lesson.folder
        self.t = t = getattr(lesson, "t", ENGLISH)
        self.status = views.live()
        self.go = views.button(t._("Hand in this lesson to my instructor"), "primary")
        self.look = views.button(t._("Look for feedback"))
        self.go.on_click(lambda _b: self.hand_in())
        self.look.on_click(lambda _b: self.look_for_feedback())
        if not lesson.mode.keeps_answers:  # handing in needs a learner's own saved copy
            self.widget = views.html(render.message("info", t._(NOT_HERE)))
            return
        intro = views.html("<p style='margin:0.2em 0'>" + t._("<strong>Hand in this lesson</strong>: your instructor "
                                                              "grades it and sends you feedback. Your answers are "
                                                              "saved as you go.") + "</p>")
        self.row = w.HBox([self.go], layout=views.ROW)
        self.widget = views.card([intro, self.status, self.row], "course-handin")
        self.show()

    def show(self, note: str = "") -> None:
        t = self.t
        times, page = handed_in(self.folder), feedback_page(self.folder)
        parts = [note] if note else []
        if page is not None:
            got = SUMMARY.search(page.read_text(encoding="utf-8", errors="replace"))
            score = f" {views.text_of(got.group(1))}" if got else ""
            link = escape(page.relative_to(self.folder).as_posix(), quote=True)
            parts.append(render.box("info", "<strong>" + t._("Your instructor has returned feedback.") + "</strong>"
                                          f"{escape(score)} <a href='{link}' target='_blank'>"
                                          + t._("Open my feedback") + "</a>"))
        if times:
            parts.append(render.message("info", t._("Handed in on {moment}. You can hand it in again until your "
                                                    "instructor collects it: the later one counts. A hand-in after "
                                                    "that reaches your instructor as a late one.",
                                                    moment=when(times[-1], t))))
        else:
            parts.append(render.message("info", t._("You have not handed in this lesson yet.")))
        saved = sum(q.saved_in(self.lesson.store) is not None for q in self.lesson.content.questions.values())
        total = len(self.lesson.content.questions)
        if saved < total:
            parts.append(render.message("warn", t.ngettext("You have saved answers to {saved} of {n} question.",
                                                           "You have saved answers to {saved} of {n} questions.",
                                                           total, saved=saved)))
        self.status.value = "".join(parts)
        self.go.description = self.go.tooltip = (t._("Hand in again") if times
                                                 else t._("Hand in this lesson to my instructor"))
        # (buttons share one layout object: one is shown or hidden by being in the row, never by its layout)
        self.row.children = [self.go, self.look] if times and page is None else [self.go]

    def hand_in(self) -> None:
        self.go.disabled = True
        try:
            from .hub.exchange import HandInError, hand_in

            try:
                stamp = hand_in(self.folder.parent, self.folder.name)
            except HandInError:  # nbgrader's exchange said no (logged there)
                self.show(render.message("warn", self.t._(NOT_HANDED_IN)))
                return
            _remember(self.folder, stamp)
            self.show(render.box("info", self.t._("<strong>Handed in.</strong> Your instructor has your lesson.")))
        except Exception:  # noqa: BLE001 - never a traceback in front of a learner
            views.log.exception("hand-in failed")
            self.show(render.message("warn", self.t._(NOT_HANDED_IN)))
        finally:
            self.go.disabled = False

    def look_for_feedback(self) -> None:
        try:
            from .hub.exchange import fetch_feedback

            fetch_feedback(self.folder.parent)
            note = "" if feedback_page(self.folder) else render.message(
                "info", self.t._("No feedback yet. Your instructor returns it after grading; it appears here by "
                                 "itself."))
            self.show(note)
        except Exception:  # noqa: BLE001
            views.log.exception("looking for feedback failed")
            self.show(render.message("warn", self.t._("Feedback could not be looked for just now. Try again in a "
                                                      "minute.")))
