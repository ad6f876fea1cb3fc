"""The object a lesson notebook talks to: ``lesson = course_lib.open_lesson()``.

One call per interactive element keeps notebooks reading like lessons. The same notebook
behaves in three ways, chosen from the environment rather than by the author:

* **learn** (JupyterLab): answers are saved to ``my-answers.json`` beside the notebook;
* **preview** (an instructor opening the source notebook in ``notebooks/``): nothing is written,
  so no answers file can ever be copied into a student release;
* **view** (the read-only Voila web view): nothing is written, and the page says so;
* **grade** (nbgrader autograde/validate): nothing is written, and each element prints
  what the learner saved, because nbgrader's feedback pages show widgets as blank.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from IPython.display import HTML, display

from . import render, views
from .answers import AnswerError, check_key, normalise, normalise_reflection, score
from .content import LessonContent, LessonError, Question, load_lesson
from .scenarios import ScenarioPlayer
from .store import ANSWERS_FILE, ResponseStore
from .views import QuestionView, ReflectionView

AUDIENCE_NAMES = {"parent": "parents and guardians", "aide": "classroom aides"}


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
    if mode == "learn" and is_course_source(folder):
        mode = "preview"
    return Lesson(folder, mode)


def is_course_source(folder: Path) -> bool:
    """Is ``folder`` a lesson in the course's nbgrader source (``notebooks/`` beside ``grading/``)?"""
    folder = folder.resolve()
    return folder.parent.name == "notebooks" and (folder.parent.parent / "grading" / "nbgrader_config.py").exists()


class Lesson:
    def __init__(self, folder: Path, mode: str):
        if mode not in ("learn", "preview", "view", "grade"):
            raise ValueError(f"unknown mode {mode!r}")
        self.folder, self.mode = folder, mode
        self.content: LessonContent = load_lesson(folder)
        self.store = ResponseStore(None if mode in ("view", "preview") else folder / ANSWERS_FILE,
                                   self.content.id, writable=mode == "learn")
        self.views: dict[str, object] = {}  # element key -> view, for tests and tools

    # -- text blocks -----------------------------------------------------------------------
    def header(self) -> None:
        c = self.content
        who = " and ".join(AUDIENCE_NAMES[a] for a in c.audiences)
        html = (f"<h1>{escape(c.title)}</h1><p>About {c.minutes} minutes · For {who}</p>"
                f"<h2>What you will learn</h2><p>After this lesson you can:</p>{render.bullet_list(c.objectives)}")
        if self.mode == "view":
            html += render.message("info", "You are reading the web view of this course. You can try every "
                                           "question and scenario, but answers given here are not saved.")
        elif self.mode == "preview":
            html += render.message("info", "Instructor preview: this is the course's source folder, so answers "
                                           "given here are not saved. Learners' copies save their answers.")
        if self.store.problem:
            html += render.message("warn", self.store.problem)
        self._show_html(html)

    def key_points(self) -> None:
        self._show_html("<h2>Key points</h2>" + render.bullet_list(self.content.key_points))

    def glossary(self) -> None:
        self._show_html("<h2>Words used in this lesson</h2>" + render.definitions(self.content.glossary))

    def sources(self) -> None:
        self._show_html("<h2>Sources</h2>" + render.bullet_list(self.content.sources, ordered=True))

    # -- interactive elements --------------------------------------------------------------
    def scenario(self, scenario_id: str) -> None:
        sc = self._find(self.content.scenarios, scenario_id, "scenario")
        if self.mode == "grade":
            print(f"Practice scenario (not graded): {sc.title}")
            return
        self._show(f"scenarios/{scenario_id}", ScenarioPlayer(sc, self.store))

    def self_check(self, question_id: str) -> None:
        q = self._find(self.content.self_checks, question_id, "self-check")
        if self.mode == "grade":
            print(f"Practice question (not graded): {_plain(q.prompt)}")
            return
        self._show(f"self_checks/{question_id}", QuestionView(q, self.store))

    def question(self, question_id: str) -> None:
        q = self._find(self.content.questions, question_id, "question")
        if self.mode == "grade":
            print(f"Graded question: {_plain(q.prompt)}\nYour saved answer: {self._saved_text(q)}")
            return
        self._show(f"questions/{question_id}", QuestionView(q, self.store))

    def reflection(self, reflection_id: str) -> None:
        r = self._find(self.content.reflections, reflection_id, "reflection")
        if self.mode == "grade":
            try:
                text = normalise_reflection(self.store.get(f"reflections/{reflection_id}"))
            except AnswerError:
                text = "(No reflection was saved.)"
            print(f"Reflection: {_plain(r.prompt)}\n\nThe learner wrote:\n{text}")
            return
        self._show(f"reflections/{reflection_id}", ReflectionView(r, self.store))

    # -- grading (called from nbgrader's hidden test cells) ---------------------------------
    def grade(self, question_id: str, answer, points: float = 1, why: str = "",
              feedback: dict[str, str] | None = None) -> float:
        """Mark the learner's *saved* answer against ``answer``; print feedback; return the points.

        nbgrader takes a number returned by a test cell as partial credit. The answers file is
        read afresh, so the grade is what the learner saved, whatever the kernel holds.
        """
        q = self._find(self.content.questions, question_id, "question")
        key = check_key(q, answer)
        if not points > 0:
            raise ValueError(f"points for {question_id!r} must be more than 0")
        store = ResponseStore(self.folder / ANSWERS_FILE, self.content.id, writable=False)
        print(f"Question: {_plain(q.prompt)}")
        earned = 0.0
        if store.problem:
            print(f"No answer could be graded: {store.problem}")
        elif (saved := store.get(f"questions/{question_id}")) is None:
            print("No answer was saved for this question.")
        else:
            try:
                given = normalise(q, saved)
            except AnswerError:
                print("The saved answer could not be read, so it could not be graded.")
            else:
                earned = round(score(q, given, key) * points, 2)
                print(f"Your answer: {_describe(q, given)}")
                for oid in ([given] if q.kind == "single" else given):
                    if feedback and oid in feedback:
                        print(f"  - {_plain(feedback[oid])}")
        print(f"Correct answer: {_describe(q, key)}")
        if why:
            print(f"Why: {_plain(why)}")
        print(f"Points: {earned:g} of {points:g}")
        return earned

    # -- helpers ---------------------------------------------------------------------------
    def _show(self, key: str, view) -> None:
        self.views[key] = view
        display(view.widget)

    def _show_html(self, html: str) -> None:
        if self.mode == "grade":
            display(HTML(html))
        else:
            # a plain layout: a full-width one plus the widget margin would overflow and scroll
            display(views.html(html, layout=views.PLAIN))

    def _saved_text(self, q: Question) -> str:
        try:
            return _describe(q, normalise(q, self.store.get(f"questions/{q.id}")))
        except AnswerError:
            return "(none)"

    def _find(self, table: dict, item_id: str, what: str):
        if item_id not in table:
            known = ", ".join(sorted(table)) or "none"
            raise LessonError(f"{self.content.id}: there is no {what} called {item_id!r} (known: {known})")
        return table[item_id]


def _describe(q: Question, value) -> str:
    if q.kind == "single":
        return _plain(q.option(value).text)
    if q.kind == "multiple":
        return "; ".join(_plain(q.option(i).text) for i in value)
    cats = {c.id: c.text for c in q.categories}
    return "; ".join(f"{_plain(q.option(i).text)} → {cats[c]}" for i, c in value.items())


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").replace("*", "").split())
