"""The object a lesson notebook talks to: ``from course_lib import lesson``.

One call per interactive element keeps notebooks reading like lessons; each call returns the
element, which shows itself as the cell's output. ``lesson`` opens the lesson in the notebook's
own folder the first time it is used, so any single cell works on its own.

The same notebook behaves in four *modes* (:mod:`course_lib.modes`: learn, preview, view, grade),
chosen from the environment rather than by the author, and the lesson data's *edition* (see
:mod:`course_lib.content`) says whether answer keys are at hand: a self-paced learner checks
their own lesson, a cohort learner's instructor grades it.

A lesson is shown in one *language*: its notebook in another language imports
``from course_lib import lesson_es as lesson`` (:mod:`course_lib.i18n`), and the lesson's words come
from ``lesson.es.yaml`` over the structure of ``lesson.yaml``. Answers are kept by id in the same
``my-answers.json`` whatever the language; when grading, the lesson speaks the language the learner
last answered in, which the answers file records.
"""

from __future__ import annotations

import base64
import mimetypes
from html import escape
from pathlib import Path

from IPython.display import HTML

from . import i18n, modes, render, views
from .content import LessonContent, load_lesson
from .files import parse_yaml
from .i18n import N_
from .layout import ALT_TEXT_FILE, ANSWERS_FILE, find_layout, in_language
from .modes import Mode
from .questions import MAX_REFLECTION_CHARS, Reflection
from .reader import LessonError
from .scenarios import ScenarioPlayer
from .store import CHECKED_LESSON, ResponseStore
from .views import QuestionView, ReflectionView, Response

AUDIENCE_NAMES = {"parent": N_("parents and guardians"), "aide": N_("classroom aides")}
HOW_TO_USE = N_("**How to use this lesson.** Read from top to bottom. You answer by clicking, never by typing code. "
                "{keeping} Words in **bold** are explained in the list of words near the end.")
# The web view served without keys (course view --edition cohort): graded questions are a class's.
VIEW_UNGRADED = N_("Graded questions are not checked in this web view: in a class, your instructor grades them in "
                   "your own copy of the lesson.")


def open_lesson(folder: str | Path | None = None, mode: Mode | str | None = None,
                language: str | None = None) -> Lesson:
    """Load the lesson in ``folder`` (default: the notebook's own folder) with the learner's answers,
    in ``language`` (default English)."""
    folder = Path(folder) if folder is not None else Path.cwd()
    return Lesson(folder, modes.for_folder(folder, mode), language)


class Lesson:
    def __init__(self, folder: Path, mode: Mode | str, language: str | None = None):
        self.folder, self.mode = Path(folder), modes.get(mode)
        if self.mode.grading:  # the feedback speaks the language the learner answered in
            language = _answered_in(self.folder) or language
        self.t = i18n.language(language)
        try:
            self.content: LessonContent = load_lesson(folder, self.t.code)
        except LessonError:
            if not self.mode.grading or self.t.code == i18n.DEFAULT:
                raise
            self.t = i18n.ENGLISH  # a grade never fails for want of a translation: the feedback is in English
            self.content = load_lesson(folder)
        self.store = self.mode.answers(self.folder / ANSWERS_FILE, self.content.id, self.t.code)
        self._styled = False

    # -- text blocks -----------------------------------------------------------------------
    def header(self):
        """The title, who the lesson is for, what it teaches, and how to use it here (the mode says
        whether answers are kept)."""
        c, t = self.content, self.t
        if self.mode.grading:  # the title, for the grader and the learner's feedback page
            return HTML(f"<div class='course-lesson-title' lang='{t.code}'><h2>{escape(c.title)}</h2></div>")
        names = [t._(AUDIENCE_NAMES[a]) for a in c.audiences]
        who = t._("{first} and {second}", first=names[0], second=names[1]) if len(names) == 2 else ", ".join(names)
        html = (f"<h1>{escape(c.title)}</h1><p>{t._('About {minutes} minutes · For {who}', minutes=c.minutes, who=who)}"
                f"</p><h2>{t._('What you will learn')}</h2><p>{t._('After this lesson you can:')}</p>"
                f"{render.bullet_list(c.objectives)}"
                + render.md(" ".join(t._(HOW_TO_USE, keeping=self.mode.say("keeping", t)).split())))
        if self.mode.notice:
            html += render.message("info", self.mode.say("notice", t), t=t)
        if self.store.problem:
            html += render.message("warn", t.message(self.store.problem), t=t)
        self.store.note_activity()  # the time spent in the lesson counts from here
        self._styled = False
        return self._block(html)

    def key_points(self):
        return self._block(f"<h2>{self.t._('Key points')}</h2>" + render.bullet_list(self.content.key_points))

    def glossary(self):
        return self._block(f"<h2>{self.t._('Words used in this lesson')}</h2>"
                           + render.definitions(self.content.glossary))

    def sources(self):
        return self._block(f"<h2>{self.t._('Sources')}</h2>"
                           + render.bullet_list(self.content.sources, ordered=True))

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
        if self.mode.grading:
            return None
        return self._element(ScenarioPlayer(sc, self.store, self.t))

    def self_check(self, question_id: str):
        q = self._find(self.content.self_checks, question_id, "self-check")
        if self.mode.grading:
            return None
        return self._element(QuestionView(q, self.store, t=self.t))

    def question(self, question_id: str):
        q = self._find(self.content.questions, question_id, "question")
        if self.mode.grading:
            return None
        return self._element(QuestionView(q, self.store, self._response(), self.t))

    def reflection(self, reflection_id: str):
        r = self._find(self.content.reflections, reflection_id, "reflection")
        t = self.t
        if self.mode.grading:
            return HTML(_written(r, self.store, t))
        if not self.mode.keeps_answers:
            note = self.mode.say("not_kept", t)
        elif self.content.has_keys:
            note = t._("When you check your lesson, you can compare it with what a strong answer includes.")
        else:
            note = t._("A person will read it after you hand in the lesson. You can change it until then.")
        return self._element(ReflectionView(r, self.store, note, show_rubric=self.content.has_keys, t=t))

    def graded_intro(self):
        """The heading and instructions above the graded questions, with their count, in words that
        fit the learner: with an instructor, alone, or visiting the web view."""
        t, n = self.t, len(self.content.questions)
        count = t.count(n)
        if self.mode.web_page and not self.content.has_keys:
            text = t.ngettext("In a class, an instructor grades this {count} question in each learner's own copy of "
                              "the lesson. Here you can read and try it; it is not checked.",
                              "In a class, an instructor grades these {count} questions in each learner's own copy "
                              "of the lesson. Here you can read and try them; they are not checked.", n, count=count)
        elif self.mode.marks_at_once:
            text = t.ngettext("Try this {count} question. Press **Check my answer** to see if you were right, and why.",
                              "Try these {count} questions. Press **Check my answer** to see if you were right, and "
                              "why.", n, count=count)
        elif self.content.has_keys:
            text = t.ngettext(
                "This {count} question shows what you have learned. Choose your answer and press **Save my answer**. "
                "When you have answered it, press **Check my lesson** at the end to see if it was right, and why.",
                "These {count} questions show what you have learned. Choose your answer and press **Save my "
                "answer**. When you have answered them all, press **Check my lesson** at the end to see which were "
                "right, and why.", n, count=count)
        else:
            text = t.ngettext(
                "This {count} question counts toward your grade. Choose your answer and press **Save my answer**. You "
                "can change an answer and save it again until you hand the lesson in. Your instructor's feedback "
                "will show the right answers.",
                "These {count} questions count toward your grade. Choose your answer and press **Save my answer**. "
                "You can change an answer and save it again until you hand the lesson in. Your instructor's "
                "feedback will show the right answers.", n, count=count)
        return self._block(f"<h2>{t._('Questions')}</h2>" + render.md(text))

    def check_lesson(self):
        """"Check my lesson": each graded question marked, with the right answer and why, and the score.
        Where the keys are withheld (a cohort release), the button that hands the lesson in instead."""
        if self.mode.grading:
            return None
        t = self.t
        if not self.content.has_keys:
            if self.mode.web_page:  # the web view without keys (course view --edition cohort)
                return self._block(render.message("info", t._(VIEW_UNGRADED), t=t))
            from .handin import HandIn  # the cohort edition: hand it in to the instructor, see their feedback

            return self._element(HandIn(self))
        result = views.html()
        result.add_class("course-live")
        go = views.button(t._("Check my lesson"), "primary")
        go.on_click(lambda _b: self._check(result))
        # A public page shows a key only for what the visitor answered (issue 19).
        intro = views.html("<p style='margin:0.2em 0'>" + (t._(
            "<strong>{button}</strong>: see which of the answers you gave were right, and why, and your score. You "
            "can check as often as you like.", button=t._("Check my lesson")) if self.mode.web_page else t._(
            "<strong>{button}</strong>: see which answers were right, and why, and your score. You can check as "
            "often as you like.", button=t._("Check my lesson"))) + "</p>")
        return self._element(views.Shown(views.card([intro, go, result], "course-check")))

    # -- grading (called from nbgrader's hidden test cells) ---------------------------------
    def grade(self, question_id: str) -> float:
        """Mark the learner's *saved* answer; show the result; return the points earned.

        nbgrader takes a number returned by a test cell as partial credit. The answers file is
        read afresh, so the grade is what the learner saved, whatever the kernel holds.
        """
        q = self._find(self.content.questions, question_id, "question")
        t = self.t
        if q.key is None:
            from IPython.display import display

            display(HTML(render.message("info", t._("This question is graded by your instructor."), t=t)))
            return 0.0
        store = ResponseStore(self.folder / ANSWERS_FILE, self.content.id, writable=False)
        answer, problem = None, t.message(store.problem)
        if not problem:
            answer = q.saved_in(store)
            if answer is None and store.get(q.store_key) is not None:
                problem = t._("The saved answer could not be read, so it could not be graded.")
        earned = q.points_for(answer)
        from IPython.display import display

        display(HTML(f"<h3>{escape(render.plain(q.prompt))}</h3>"
                     + render.graded_result(q, answer, earned, problem, t=t)))
        return earned

    def results(self) -> list[tuple]:
        """``(question, answer or None, points earned)`` for every graded question, from the saved answers."""
        answers = ((q, q.saved_in(self.store)) for q in self.content.questions.values())
        return [(q, answer, q.points_for(answer)) for q, answer in answers]

    # -- helpers ---------------------------------------------------------------------------
    def _check(self, result) -> None:
        t = self.t
        try:
            if self.store.writable:
                self.store.reload()  # the file is the truth: another open copy may have saved since
            rows = self.results()
            earned, total = sum(r[2] for r in rows), sum(q.points for q, _a, _e in rows)
            missing = sum(a is None for _q, a, _e in rows)
            score = t._("Your score: {earned} of {total} points", earned=format(earned, "g"), total=format(total, "g"))
            if not self.mode.keeps_answers:  # nothing counts as done here: only what to do next
                after = t._("Answer a question and check again to see its result.") if missing else ""
            else:
                after = self._verdict(earned, total)
            parts = [render.box("info", f"<strong>{score}</strong>" + (" " + t.ngettext(
                "({n} question not answered yet)", "({n} questions not answered yet)", missing) if missing else "")
                + "." + (" " + after if after else ""), t=t)]
            for q, answer, got in rows:
                if answer is None and self.mode.web_page:  # a public page: no key before it is answered
                    continue
                parts.append(f"<h3 style='font-size:1.05em;margin:0.8em 0 0.2em'>{render.md_inline(q.prompt)}</h3>"
                             + render.graded_result(q, answer, got, t=t))
            for r in self.content.reflections.values():
                if r.rubric and r.saved_in(self.store):
                    parts.append(render.strong_answer(r, t=t))
            result.value = "".join(parts)
            if self.store.writable:
                self.store.save(CHECKED_LESSON, {"score": earned, "max": total, "unanswered": missing})
        except Exception:  # noqa: BLE001 - never a traceback in front of a learner
            views.log.exception("check_lesson failed")
            result.value = render.message("warn", t._("Sorry, your lesson could not be checked just now. Your "
                                                      "answers are safe. Please try again."), t=t)

    def _verdict(self, earned: float, total: float) -> str:
        """Whether the score counts this lesson as done on My progress, and if not, what to do."""
        from .outline import pass_mark
        from .progress import points_needed

        mark = pass_mark(self.folder.parent)
        need = points_needed(total, mark)
        unwritten = [r for r in self.content.reflections.values() if r.saved_in(self.store) is None]
        t, n = self.t, {"mark": format(mark, "g"), "need": format(need, "g"), "total": format(total, "g")}
        if earned < need:
            return escape(t._("To finish this lesson you need at least {mark}% of the points ({need} of {total}). "
                              "Read why below, change the answers that were not right, save them, and press Check "
                              "my lesson again.", **n))
        if unwritten:
            return escape(t._("That is enough to pass ({mark}% is needed). Write and save your reflection too, "
                              "then check again: the lesson is done after that.", **n))
        return escape(t._("You passed this lesson ({mark}% is needed). It counts as done on My progress.", **n))

    def _response(self) -> Response:
        t = self.t
        if self.mode.web_page and not self.content.has_keys:
            return Response(False, t._(VIEW_UNGRADED) + " " + self.mode.say("not_kept", t), N_("Check my answer"),
                            kind="info")
        if self.mode.marks_at_once:
            return Response(True, self.mode.say("not_kept", t), N_("Check my answer"))
        if self.content.has_keys:
            return Response(False, t._("When you have answered every question, press Check my lesson at the end "
                                       "to see how you did. You can change your answer and save it again."))
        return Response(False, t._("Your instructor will grade this after you hand in the lesson. You can change "
                                   "it until then."))

    def _element(self, view):
        if not self._styled:
            view.widget.children = (views.html(render.stylesheet(), layout=views.PLAIN), *view.widget.children)
            self._styled = True
        return view

    def _block(self, html: str):
        if self.mode.grading:
            return HTML(html)
        if not self._styled:
            html, self._styled = render.stylesheet() + html, True
        # a plain layout: a full-width one plus the widget margin would overflow and scroll
        return views.html(html, layout=views.PLAIN)

    def _picture(self, name: str) -> tuple[Path, str]:
        """The picture ``name`` in the page's language (``x.es.svg``, its words in Spanish) and its alt text
        (in ``alt-text.es.yaml``), from the lesson's ``assets/`` or the course's."""
        layout = find_layout(self.folder)
        shown, alt_name = in_language(name, self.t.code), in_language(ALT_TEXT_FILE, self.t.code)
        for folder in (self.folder / "assets", layout.assets if layout else None):
            if folder is not None and (folder / shown).is_file():
                alt_file = folder / alt_name
                alt = (parse_yaml(alt_file.read_text(encoding="utf-8")) or {}).get(shown) \
                    if alt_file.is_file() else None
                if alt:
                    return folder / shown, " ".join(str(alt).split())
        raise LessonError(f"{self.content.id}: the picture {shown!r} needs a file in assets/ and its alt text "
                          f"in assets/{alt_name}")

    def _find(self, table: dict, item_id: str, what: str):
        if item_id not in table:
            known = ", ".join(sorted(table)) or "none"
            raise LessonError(f"{self.content.id}: there is no {what} called {item_id!r} (known: {known})")
        return table[item_id]


def _written(r: Reflection, store: ResponseStore, t: i18n.Language = i18n.ENGLISH) -> str:
    """What the learner wrote, for the grader (formgrader) and the learner's feedback: shown as
    written and wrapped. A reflection longer than its box takes (the file was edited by hand) is
    shown to its limit, saying so, never dropped."""
    raw = store.get(r.store_key)
    note = ""
    if isinstance(raw, str) and len(raw.strip()) > MAX_REFLECTION_CHARS:
        note = "<p><em>" + t._("The reflection saved is {length} characters long, more than the {limit} its box "
                               "takes; its first {limit} are shown.", length=f"{len(raw.strip()):,}",
                               limit=f"{MAX_REFLECTION_CHARS:,}") + "</em></p>"
        raw = raw.strip()[:MAX_REFLECTION_CHARS]
    text = Reflection.answer_from(raw)
    if text is None:
        body = f"<p><em>{t._('No reflection was saved.')}</em></p>"
    else:
        body = (f"{note}<div style='white-space:pre-wrap;overflow-wrap:anywhere;max-width:48rem'>"
                f"{render.learner_text(text)}</div>")
    return (f"<div class='course-written'><h3>{t._('Reflection')}</h3>{render.md(r.prompt)}"
            f"<p><strong>{t._('The answer written:')}</strong></p>{body}</div>")


def _answered_in(folder: Path) -> str | None:
    """The language the learner last answered in, as their answers file says (checked: a hand-in is
    untrusted), where the lesson has that language; else ``None``."""
    from .store import answers_language
    from .translation import translation_file

    code = answers_language(folder / ANSWERS_FILE)
    return code if code and (code == i18n.DEFAULT or translation_file(folder, code).is_file()) else None


class Here:
    """``course_lib.lesson``: the lesson in the current notebook's folder, opened on first use;
    ``course_lib.lesson_es`` the same lesson in Spanish (any language with a catalog).

    A kernel runs in the notebook's folder, so this needs no argument, and every cell that uses
    it works on its own, in any order."""

    _opened: dict[tuple[Path, Mode, str], Lesson] = {}

    def __init__(self, language: str = i18n.DEFAULT):
        self._language = language

    def _lesson(self) -> Lesson:
        key = (Path.cwd(), modes.current_mode(), self._language)
        if key not in self._opened:
            self._opened[key] = open_lesson(language=self._language)
        return self._opened[key]

    def __getattr__(self, name: str):
        return getattr(self._lesson(), name)

    def __repr__(self) -> str:
        return f"<the lesson in this folder ({self._language})>"


HERE = Here()  # course_lib.lesson
