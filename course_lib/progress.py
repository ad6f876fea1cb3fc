"""My progress: each lesson of each track, not started, in progress or done, the score the learner
saw when they checked it, the time they spent, and what is missing before it is done; and, for a
finished track, a completion record to print or download (for an aide, evidence of training).

A supervisor reads the record as evidence, so it never says more than happened: a lesson is done
only when every graded question is answered, the reflection written, and "Check my lesson" gave at
least the course's pass mark (``pass_mark`` in ``course.yaml``, 80% by default), with nothing changed
since; the record states the time the learner actually spent, counted from their own actions in the
lesson (:data:`course_lib.store.ACTIVITY`), beside the lessons' planned length, never one for the other.

It reads the learner's own saved answers (``my-answers.json`` in each lesson folder of their
copy of the course) and nothing else. In the web view nothing is kept, so it says so.

    from course_lib import progress
    progress.page()
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path

import ipywidgets as w

from . import i18n, modes, render, views
from .documents import DOC_CSS, LINK_CSS, Document, download_links, literal, to_html, to_pdf, typed
from .i18n import ENGLISH, N_, Language, Message
from .layout import ANSWERS_FILE, in_language
from .modes import Mode
from .outline import Outline, Track, load_outline
from .store import ACTIVE_GAP_SECONDS, CHECKED_LESSON, ResponseStore

PROFILE = "my-progress.json"  # the learner's name for their record, at the top of their copy
STATUS_WORDS = {"not started": N_("Not started"), "in progress": N_("In progress"), "done": N_("Done")}


@dataclass(frozen=True)
class LessonProgress:
    lesson_id: str
    title: str
    minutes: int  # how long the lesson is meant to take
    status: str  # not started | in progress | done
    score: float | None  # the score "Check my lesson" showed, if the learner checked it
    max_score: float
    spent: int | None  # seconds the learner spent in the lesson, from their own actions (None: not recorded)
    finished: date | None  # the day of the check that made it done
    missing: tuple[Message, ...] = field(default=())  # what must still happen for it to be done
    checked_since_change: bool = True  # the score shown is for the answers saved now


def points_needed(max_score: float, pass_mark: float) -> float:
    """The fewest points that reach the pass mark (80% of 6 points is 4.8: 5 points)."""
    return math.ceil(max_score * pass_mark / 100 - 1e-9)


def lesson_progress(root: Path, outline: Outline, lesson_id: str) -> LessonProgress:
    content = outline.lessons[lesson_id]
    store = ResponseStore(root / lesson_id / ANSWERS_FILE, lesson_id, writable=False)
    answers = {q.id: q.saved_in(store) for q in content.questions.values()}
    unanswered = sum(a is None for a in answers.values())
    unwritten = sum(r.saved_in(store) is None for r in content.reflections.values())
    graded_keys = [q.store_key for q in content.questions.values()] + [r.store_key for r in
                                                                       content.reflections.values()]
    last_answer = max((t for k in graded_keys if (t := store.saved_at(k))), default=None)
    checked, checked_at = store.get(CHECKED_LESSON), store.saved_at(CHECKED_LESSON)
    score, current, finished = None, True, None
    if isinstance(checked, dict) and checked_at and content.has_keys:
        current = last_answer is None or checked_at >= last_answer
        if current:
            score = sum(q.points_for(answers[q.id]) for q in content.questions.values())
            finished = datetime.fromisoformat(checked_at).date()
        elif isinstance(checked.get("score"), int | float):
            score = float(checked["score"])  # what the learner saw then; their answers have changed since
    need = points_needed(content.graded_points, outline.pass_mark)
    missing: list[Message] = []  # said in the page's language when shown
    if unanswered == 1:
        missing.append(Message.of(N_("one question to answer")))
    elif unanswered:
        missing.append(Message.of(N_("{n} questions to answer"), n=unanswered))
    if unwritten == 1:
        missing.append(Message.of(N_("the reflection to write")))
    elif unwritten:
        missing.append(Message.of(N_("{n} reflections to write"), n=unwritten))
    if not content.has_keys:
        missing.append(Message.of(N_("your instructor's grade")))
    elif score is None or not current:
        missing.append(Message.of(N_("Check my lesson to press") if score is None else
                                  N_("Check my lesson to press again (you changed an answer since)")))
    elif score < need:
        missing.append(Message.of(N_("{need} of {points} points to reach (you had {score}): change the answers that "
                                     "were not right, then check again"), need=format(need, "g"),
                                  points=format(content.graded_points, "g"), score=format(score, "g")))
    status = "done" if not missing else "in progress" if store.keys() else "not started"
    return LessonProgress(lesson_id, content.title, content.minutes, status, score, content.graded_points,
                          store.seconds_active() if store.keys() else None, finished if status == "done" else None,
                          tuple(missing), current)


def track_progress(root: Path, outline: Outline, track: Track) -> list[LessonProgress]:
    return [lesson_progress(root, outline, lid) for lid in track.lessons]


def time_spent(seconds: int | None, t: Language = ENGLISH, about: bool = True) -> str:
    """``seconds`` in words: "less than a minute", "about 12 min", "about 1 h 05 min" (``about=False``:
    without "about", for a planned length)."""
    if seconds is None:
        return t._("not recorded")
    if seconds < 60:
        return t._("less than a minute")
    minutes = round(seconds / 60)
    if minutes < 60:
        return t._("about {minutes} min", minutes=minutes) if about else t._("{minutes} min", minutes=minutes)
    hours = {"hours": minutes // 60, "minutes": f"{minutes % 60:02d}"}
    return t._("about {hours} h {minutes} min", **hours) if about else t._("{hours} h {minutes} min", **hours)


# -- the page -------------------------------------------------------------------------------------
def page(root: str | Path | None = None, mode: Mode | str | None = None, language: str | None = None):
    """The progress page's one element (the page is ``progress.ipynb`` at the top of the course;
    ``progress.es.ipynb`` in Spanish, the same answers)."""
    root = Path(root) if root is not None else Path.cwd()
    mode, t = modes.for_folder(root, mode), i18n.language(language)
    if mode.grading:
        return None
    if not mode.keeps_answers:
        return views.html(render.stylesheet() + render.message("info", mode.say("progress", t), t=t),
                          layout=views.PLAIN)
    outline = load_outline(root, t.code)
    parts = [render.stylesheet(), f"<style>{DOC_CSS}{LINK_CSS}</style>", _about_this_page(outline, t)]
    cards: list[w.Widget] = []
    for track in outline.tracks.values():
        rows = track_progress(root, outline, track)
        parts.append(_track_html(outline, track, rows, t))
        if all(r.status == "done" for r in rows):
            cards.append(_record_card(root, outline, track, rows, mode, t))
    return views.Shown(w.VBox([views.html("".join(parts), layout=views.PLAIN), *cards]))


def _track_html(outline: Outline, track: Track, rows: list[LessonProgress], t: Language = ENGLISH) -> str:
    done = sum(r.status == "done" for r in rows)

    def link(r: LessonProgress) -> str:
        return f"<a href='{r.lesson_id}/{in_language(r.lesson_id + '.ipynb', t.code)}'>{escape(r.title)}</a>"

    body = "".join(
        f"<tr><td>{link(r)}</td><td>{t._(STATUS_WORDS[r.status])}{_still(r, t)}</td>"
        f"<td>{_score(r, t)}</td>"
        f"<td>{'' if r.status == 'not started' else time_spent(r.spent, t)}</td>"
        f"<td>{t._('{minutes} min', minutes=r.minutes)}</td></tr>" for r in rows)
    following = next((r for r in rows if r.status != "done"), None)
    if following is None:
        nxt = t._("You have finished every lesson of this track. Your completion record is below.")
    elif following.status == "in progress":
        nxt = t._("Go on with {lesson} (about {minutes} minutes).", lesson=link(following), minutes=following.minutes)
    else:
        nxt = t._("Start {lesson} (about {minutes} minutes).", lesson=link(following), minutes=following.minutes)
    return (f"<h2>{escape(track.title)}</h2><p>{t._('{done} of {total} lessons done.', done=done, total=len(rows))} "
            f"<strong>{t._('Next:')}</strong> {nxt}</p>"
            f"<div class='course-table-wrap' role='region' tabindex='0' aria-label='{t._('Lessons of this track')}'>"
            f"<table class='course-progress'><thead><tr><th scope='col'>{t._('Lesson')}</th>"
            f"<th scope='col'>{t._('Status')}</th><th scope='col'>{t._('Score (when you checked it)')}</th>"
            f"<th scope='col'>{t._('Time you spent')}</th><th scope='col'>{t._('Planned length')}</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def _still(r: LessonProgress, t: Language) -> str:
    """What is missing before ``r`` is done, under its status."""
    if r.status == "done" or not r.missing:
        return ""
    still = t._("Still to do: {what}.", what="; ".join(t.message(m) for m in r.missing))
    return "<br><small>" + escape(still) + "</small>"


def _points(r: LessonProgress, t: Language) -> str:
    return t._("{earned} of {points}", earned=format(r.score, "g"), points=format(r.max_score, "g"))


def _score(r: LessonProgress, t: Language) -> str:
    if r.score is None:
        return ""
    return _points(r, t) + ("" if r.checked_since_change else " " + t._("(before your last change)"))


def _about_this_page(outline: Outline, t: Language) -> str:
    return render.md(t._(
        "A lesson is **done** when every graded question is answered, the reflection is written, and **Check my "
        "lesson** gave you at least {mark}% of its points. The time you spent is counted from what you do in the "
        "lesson (opening it, answering, saving and checking); a pause of more than {gap} minutes is not counted.",
        mark=format(outline.pass_mark, "g"), gap=ACTIVE_GAP_SECONDS // 60))


# -- the completion record ---------------------------------------------------------------------------
NOT_A_LICENSE = N_("This record shows that the person named above finished the lessons listed, in a free, "
                   "self-paced course, with the scores they earned on its questions. It records completion of "
                   "this course only. It is not a license, a certificate of competence or a credential, and "
                   "no school, state or professional body issued it.")


def completion_record(outline: Outline, track: Track, rows: list[LessonProgress], name: str, made: date,
                      t: Language = ENGLISH):
    """The record as a document (text, RTF, a printable page and, where its letters allow, a PDF)."""
    planned = sum(r.minutes for r in rows) * 60
    spent = sum(r.spent or 0 for r in rows)
    title = t._("Record of course completion")
    doc = Document(title=f"{title}: {track.title}", slug=f"course-record-{track.id}", language=t.code)
    doc.add("title", title)
    doc.add("para", (*typed(name), *literal(" " + t._("completed the {track} of the course “{course}”.",
                                                       track=t._(track.name).lower(), course=outline.title))))
    doc.table([t._("Lesson"), t._("Completed on"), t._("Score"), t._("Time spent"), t._("Planned length")],
              [[literal(r.title), literal(t.date(r.finished) if r.finished else ""),
                literal("" if r.score is None else _points(r, t)), literal(time_spent(r.spent, t)),
                literal(t._("{minutes} min", minutes=r.minutes))] for r in rows])
    doc.add("para", t.ngettext(
        "{n} lesson. Time spent in it: {spent}, counted from the learner's own actions in the lesson (opening it, "
        "answering, saving and checking; a pause of more than {gap} minutes is not counted). The lesson's planned "
        "length: {planned}.",
        "{n} lessons. Time spent in them: {spent}, counted from the learner's own actions in each lesson (opening "
        "it, answering, saving and checking; a pause of more than {gap} minutes is not counted). The lessons' "
        "planned length: {planned}.", len(rows), spent=time_spent(spent, t), gap=ACTIVE_GAP_SECONDS // 60,
        planned=time_spent(planned, t, about=False)))
    doc.add("para", t._("Each lesson counts as completed when every graded question was answered, the written "
                        "reflection was done, and the lesson's check gave at least {mark}% of its points. The score "
                        "is the one the learner's last check gave.", mark=format(outline.pass_mark, "g")))
    doc.add("small", t._(NOT_A_LICENSE))
    doc.add("small", t._("Made on {day}.", day=t.date(made)))
    return doc


def _hours(hours: float, t: Language) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(hours, 1), format="0.0", locale=t.code)


def _record_card(root: Path, outline: Outline, track: Track, rows: list[LessonProgress], mode: Mode,
                 t: Language = ENGLISH) -> w.Widget:
    profile = mode.answers(root / PROFILE, "course")
    name = w.Text(value=profile.get("name") or "", description=t._("Your name, as it should appear on the record"),
                  placeholder=t._("For example: Jordan Lee"), continuous_update=False,
                  style={"description_width": "initial"}, layout=views.FULL_WIDTH)
    make = views.button(t._("Make my record"), "primary")
    out, status = views.html(), views.live()

    def build(_b=None):
        try:
            typed_name = " ".join(str(name.value or "").split())[:120]
            if not typed_name:
                out.value = ""  # a record without a name is no record: the one made before goes too
                status.value = render.message("warn", t._("Please type your name first, as it should appear on "
                                                          "the record."), t=t)
                return
            profile.save("name", typed_name)
            doc = completion_record(outline, track, rows, typed_name, datetime.now(UTC).date(), t)
            pdf = to_pdf(doc)
            links = download_links(doc, t._("your record"), t)
            if pdf is None:
                links += render.message("info", t._("A PDF cannot show every letter of this name: open the printable "
                                                     "page and print it, or save it as a PDF from your browser."), t=t)
            else:
                import base64

                links = links.replace("</ul>", f'<li><a download="{doc.slug}.pdf" href="data:application/pdf;base64,'
                                      f'{base64.b64encode(pdf).decode()}">{t._("PDF (.pdf)")}</a>: '
                                      f'{t._("to print or send")}</li></ul>')
            out.value = to_html(doc) + links
            status.value = render.message("saved", t._("Your record is ready below."), t=t)
        except Exception:  # noqa: BLE001 - never a traceback in front of a learner
            views.log.exception("completion record failed")
            status.value = render.message("warn", t._("Sorry, your record could not be made just now. Please try "
                                                       "again."), t=t)

    make.on_click(build)
    return views.card([views.html(f"<h3 style='margin:0.3em 0'>"
                                  f"{t._('Your completion record: {track}', track=escape(track.title))}</h3><p>"
                                  + t._("Type your name and press <strong>{button}</strong> to get a record to print, "
                                        "or to give to a supervisor.", button=t._("Make my record")) + "</p>"),
                       name, make, status, out], "course-record")
