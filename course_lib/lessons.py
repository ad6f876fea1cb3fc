"""The object a lesson notebook talks to: ``from course_lib import lesson``.

One call per interactive element keeps notebooks reading like lessons; each call returns the
element, which shows itself as the cell's output. ``lesson`` opens the lesson in the notebook's
own folder the first time it is used, so any single cell works on its own.

The same notebook behaves in four *modes*, chosen from the environment rather than by the author:

* **learn** (JupyterLab): answers are saved to ``my-answers.json`` beside the notebook;
* **preview** (an instructor opening one of the course's own copies, such as ``notebooks/``):
  nothing is written, so no answers file can ever be copied into a release;
* **view** (the read-only Voila web view): nothing is written, and the page says so;
* **grade** (nbgrader autograde/validate): nothing is written; graded questions are marked.

and the lesson data's *edition* (see :mod:`course_lib.content`) says whether answer keys are
at hand: a self-paced learner checks their own lesson, a cohort learner's instructor grades it.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from html import escape
from pathlib import Path

import yaml
from IPython.display import HTML

from . import render, views
from .content import LessonContent, load_lesson
from .layout import ALT_TEXT_FILE, ANSWERS_FILE, find_layout
from .questions import AnswerError, Reflection
from .reader import LessonError
from .scenarios import ScenarioPlayer
from .store import ResponseStore
from .views import QuestionView, ReflectionView, Response

AUDIENCE_NAMES = {"parent": "parents and guardians", "aide": "classroom aides"}
MODES = ("learn", "preview", "view", "grade")
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
CHECKED = "checked/lesson"  # where "Check my lesson" keeps the score it showed
# The web view served without keys (course view --edition cohort): graded questions are a class's.
VIEW_UNGRADED = ("Graded questions are not checked in this web view: in a class, your instructor grades them in "
                 "your own copy of the lesson.")


def current_mode() -> str:
    """``grade``, ``view`` or ``learn``: see the module docstring."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return "grade"
    if os.environ.get("COURSE_READONLY") or any(k.startswith("VOILA_") for k in os.environ) or \
            os.environ.get("SERVER_SOFTWARE", "").startswith("voila"):
        return "view"
    return "learn"


def open_lesson(folder: str | Path | None = None, mode: str | None = None) -> Lesson:
    """Load the lesson in ``folder`` (default: the notebook's own folder) with the learner's answers."""
    folder = Path(folder) if folder is not None else Path.cwd()
    mode = mode or current_mode()
    if mode == "learn" and (layout := find_layout(folder)) is not None and layout.owns(folder):
        mode = "preview"
    return Lesson(folder, mode)


class Lesson:
    def __init__(self, folder: Path, mode: str):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.folder, self.mode = Path(folder), mode
        self.content: LessonContent = load_lesson(folder)
        self.store = ResponseStore(None if mode in ("view", "preview") else self.folder / ANSWERS_FILE,
                                   self.content.id, writable=mode == "learn")
        self._styled = False

    # -- text blocks -----------------------------------------------------------------------
    def header(self):
        c = self.content
        if self.mode == "grade":  # the title, for the grader and the learner's feedback page
            return HTML(f"<div class='course-lesson-title'><h2>{escape(c.title)}</h2></div>")
        who = " and ".join(AUDIENCE_NAMES[a] for a in c.audiences)
        html = (f"<h1>{escape(c.title)}</h1><p>About {c.minutes} minutes · For {who}</p>"
                f"<h2>What you will learn</h2><p>After this lesson you can:</p>{render.bullet_list(c.objectives)}")
        if self.mode == "view":
            html += render.message("info", "You are reading the web view of this course. You can try every "
                                           "question and story, and see how you did, but nothing you choose "
                                           "or type here is kept.")
        elif self.mode == "preview":
            html += render.message("info", "Instructor preview: this is one of the course's own copies, so "
                                           "answers given here are not saved. Learners' copies save them.")
        if self.store.problem:
            html += render.message("warn", self.store.problem)
        self._styled = False
        return self._block(html)

    def key_points(self):
        return self._block("<h2>Key points</h2>" + render.bullet_list(self.content.key_points))

    def glossary(self):
        return self._block("<h2>Words used in this lesson</h2>" + render.definitions(self.content.glossary))

    def sources(self):
        return self._block("<h2>Sources</h2>" + render.bullet_list(self.content.sources, ordered=True))

    def picture(self, name: str):
        """A picture from the lesson's ``assets/`` (or the course's), with its alt text."""
        path, alt = self._picture(name)
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode()
        return self._block(f'<figure style="margin:0.8em 0;max-width:48rem"><img alt="{escape(alt)}" '
                           f'src="data:{mime};base64,{data}" style="max-width:100%;height:auto"></figure>')

    # -- interactive elements --------------------------------------------------------------
    def scenario(self, scenario_id: str):
        sc = self._find(self.content.scenarios, scenario_id, "scenario")
        if self.mode == "grade":
            return None
        return self._element(ScenarioPlayer(sc, self.store))

    def self_check(self, question_id: str):
        q = self._find(self.content.self_checks, question_id, "self-check")
        if self.mode == "grade":
            return None
        return self._element(QuestionView(q, self.store))

    def question(self, question_id: str):
        q = self._find(self.content.questions, question_id, "question")
        if self.mode == "grade":
            return None
        return self._element(QuestionView(q, self.store, self._response()))

    def reflection(self, reflection_id: str):
        r = self._find(self.content.reflections, reflection_id, "reflection")
        if self.mode == "grade":
            return HTML(_written(r, self.store))
        if self.mode == "view":
            note = views.NOT_KEPT
        elif self.mode == "preview":
            note = "Instructor preview: nothing is saved here."
        elif self.content.has_keys:
            note = "When you check your lesson, you can compare it with what a strong answer includes."
        else:
            note = "A person will read it after you hand in the lesson. You can change it until then."
        return self._element(ReflectionView(r, self.store, note, show_rubric=self.content.has_keys))

    def graded_intro(self):
        """The heading and instructions above the graded questions, with their count, in words that
        fit the learner: with an instructor, alone, or visiting the web view."""
        n = len(self.content.questions)
        count = NUMBERS[n] if n < len(NUMBERS) else str(n)
        plural = "s" if n != 1 else ""
        if self.mode == "view" and not self.content.has_keys:
            text = (f"In a class, an instructor grades {'these' if n != 1 else 'this'} {count} question{plural} in "
                    "each learner's own copy of the lesson. Here you can read and try them; they are not checked.")
        elif self.mode in ("view", "preview"):
            text = (f"Try {'these' if n != 1 else 'this'} {count} question{plural}. Press **Check my answer** to "
                    "see if you were right, and why.")
        elif self.content.has_keys:
            text = (f"{'These' if n != 1 else 'This'} {count} question{plural} show what you have learned. Choose "
                    "your answer and press **Save my answer**. When you have answered them all, press **Check my "
                    "lesson** at the end to see which were right, and why.")
        else:
            text = (f"{'These' if n != 1 else 'This'} {count} question{plural} count toward your grade. Choose "
                    "your answer and press **Save my answer**. You can change an answer and save it again until "
                    "you hand the lesson in. Your instructor's feedback will show the right answers.")
        return self._block("<h2>Questions</h2>" + render.md(text))

    def check_lesson(self):
        """"Check my lesson": each graded question marked, with the right answer and why, and the score.
        Where the keys are withheld (a cohort release) it says who grades the lesson instead."""
        if self.mode == "grade":
            return None
        if not self.content.has_keys:
            return self._block(render.message("info", VIEW_UNGRADED if self.mode == "view" else (
                "Your instructor grades this lesson after you hand it in, and sends you feedback with the right "
                "answers. Your answers are saved as you go.")))
        result = views.html()
        result.add_class("course-live")
        go = views.button("Check my lesson", "primary")
        go.on_click(lambda _b: self._check(result))
        which = "the answers you gave" if self.mode == "view" else "answers"
        intro = views.html(f"<p style='margin:0.2em 0'><strong>Check my lesson</strong>: see which of {which} were "
                           "right, and why, and your score. You can check as often as you like.</p>")
        return self._element(views.Shown(views.card([intro, go, result], "course-check")))

    # -- grading (called from nbgrader's hidden test cells) ---------------------------------
    def grade(self, question_id: str) -> float:
        """Mark the learner's *saved* answer; show the result; return the points earned.

        nbgrader takes a number returned by a test cell as partial credit. The answers file is
        read afresh, so the grade is what the learner saved, whatever the kernel holds.
        """
        q = self._find(self.content.questions, question_id, "question")
        if q.key is None:
            from IPython.display import display

            display(HTML(render.message("info", "This question is graded by your instructor.")))
            return 0.0
        store = ResponseStore(self.folder / ANSWERS_FILE, self.content.id, writable=False)
        answer, problem = None, store.problem or ""
        if not problem:
            saved = store.get(f"questions/{question_id}")
            try:
                answer = q.normalise(saved) if saved is not None else None
            except AnswerError:
                problem = "The saved answer could not be read, so it could not be graded."
        earned = round(q.score(answer) * q.points, 2) if answer is not None else 0.0
        from IPython.display import display

        display(HTML(f"<h3>{escape(render.plain(q.prompt))}</h3>" + render.graded_result(q, answer, earned, problem)))
        return earned

    def results(self) -> list[tuple]:
        """``(question, answer or None, points earned)`` for every graded question, from the saved answers."""
        out = []
        for q in self.content.questions.values():
            try:
                answer = q.normalise(self.store.get(f"questions/{q.id}"))
            except AnswerError:
                answer = None
            out.append((q, answer, round(q.score(answer) * q.points, 2) if answer is not None else 0.0))
        return out

    # -- helpers ---------------------------------------------------------------------------
    def _check(self, result) -> None:
        try:
            if self.store.writable:
                self.store.reload()  # the file is the truth: another open copy may have saved since
            rows = self.results()
            earned, total = sum(r[2] for r in rows), sum(q.points for q, _a, _e in rows)
            missing = sum(a is None for _q, a, _e in rows)
            parts = [render.box("info", f"<strong>Your score: {earned:g} of {total:g} points</strong>"
                                        + (f" ({missing} question{'s' if missing != 1 else ''} not answered yet)"
                                           if missing else "") + "."
                                + (" Answer a question and check again to see its result." if missing and
                                   self.mode == "view" else ""))]
            for q, answer, got in rows:
                if answer is None and self.mode == "view":  # a public page: no key before it is answered
                    continue
                parts.append(f"<h3 style='font-size:1.05em;margin:0.8em 0 0.2em'>{render.md_inline(q.prompt)}</h3>"
                             + render.graded_result(q, answer, got))
            for r in self.content.reflections.values():
                if r.rubric and self.store.get(f"reflections/{r.id}"):
                    parts.append(render.strong_answer(r))
            result.value = "".join(parts)
            if self.store.writable:
                self.store.save(CHECKED, {"score": earned, "max": total, "unanswered": missing})
        except Exception:  # noqa: BLE001 - never a traceback in front of a learner
            views.log.exception("check_lesson failed")
            result.value = render.message("warn", "Sorry, your lesson could not be checked just now. Your "
                                                  "answers are safe. Please try again.")

    def _response(self) -> Response:
        if self.mode == "view" and not self.content.has_keys:
            return Response(False, VIEW_UNGRADED + " " + views.NOT_KEPT, "Check my answer", kind="info")
        if self.mode == "view":
            return Response(True, views.NOT_KEPT, "Check my answer")
        if self.mode == "preview":
            return Response(True, "Instructor preview: nothing is saved here.", "Check my answer")
        if self.content.has_keys:
            return Response(False, "When you have answered every question, press Check my lesson at the end "
                                   "to see how you did. You can change your answer and save it again.")
        return Response(False, "Your instructor will grade this after you hand in the lesson. You can change "
                               "it until then.")

    def _element(self, view):
        if not self._styled:
            view.widget.children = (views.html(render.stylesheet(), layout=views.PLAIN), *view.widget.children)
            self._styled = True
        return view

    def _block(self, html: str):
        if self.mode == "grade":
            return HTML(html)
        if not self._styled:
            html, self._styled = render.stylesheet() + html, True
        # a plain layout: a full-width one plus the widget margin would overflow and scroll
        return views.html(html, layout=views.PLAIN)

    def _picture(self, name: str) -> tuple[Path, str]:
        layout = find_layout(self.folder)
        for folder in (self.folder / "assets", layout.assets if layout else None):
            if folder is not None and (folder / name).is_file():
                alt_file = folder / ALT_TEXT_FILE
                alt = (yaml.safe_load(alt_file.read_text(encoding="utf-8")) or {}).get(name) \
                    if alt_file.is_file() else None
                if alt:
                    return folder / name, " ".join(str(alt).split())
        raise LessonError(f"{self.content.id}: the picture {name!r} needs a file in assets/ and its alt text "
                          f"in assets/{ALT_TEXT_FILE}")

    def _find(self, table: dict, item_id: str, what: str):
        if item_id not in table:
            known = ", ".join(sorted(table)) or "none"
            raise LessonError(f"{self.content.id}: there is no {what} called {item_id!r} (known: {known})")
        return table[item_id]


def _written(r: Reflection, store: ResponseStore) -> str:
    """What the learner wrote, for the grader (formgrader) and the learner's feedback: escaped and
    wrapped, never cut off."""
    try:
        text = Reflection.normalise(store.get(f"reflections/{r.id}"))
    except AnswerError:
        body = "<p><em>No reflection was saved.</em></p>"
    else:
        body = f"<div style='white-space:pre-wrap;overflow-wrap:anywhere;max-width:48rem'>{escape(text)}</div>"
    return (f"<div class='course-written'><h3>Reflection</h3>{render.md(r.prompt)}"
            f"<p><strong>The answer written:</strong></p>{body}</div>")


class Here:
    """``course_lib.lesson``: the lesson in the current notebook's folder, opened on first use.

    A kernel runs in the notebook's folder, so this needs no argument, and every cell that uses
    it works on its own, in any order."""

    _opened: dict[tuple[Path, str], Lesson] = {}

    def _lesson(self) -> Lesson:
        key = (Path.cwd(), current_mode())
        if key not in self._opened:
            self._opened[key] = open_lesson()
        return self._opened[key]

    def __getattr__(self, name: str):
        return getattr(self._lesson(), name)

    def __repr__(self) -> str:
        return "<the lesson in this folder>"
