"""My progress: each lesson of each track, not started, in progress or done, the score where the
learner checked it, roughly how long it took, and what to do next; and, for a finished track, a
completion record to print or download (for an aide, evidence of training hours).

It reads the learner's own saved answers (``my-answers.json`` in each lesson folder of their
copy of the course) and nothing else. In the web view nothing is kept, so it says so.

    from course_lib import progress
    progress.page()
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path

import ipywidgets as w

from . import i18n, modes, render, views
from .documents import Document, download_links, literal, to_html, to_pdf, typed
from .i18n import ENGLISH, N_, Language
from .layout import ANSWERS_FILE, in_language
from .modes import Mode
from .outline import Outline, Track, load_outline
from .store import CHECKED_LESSON, ResponseStore

PROFILE = "my-progress.json"  # the learner's name for their record, at the top of their copy
ACTIVE_GAP_MINUTES = 15  # saves further apart than this were two sittings, not one
STATUS_WORDS = {"not started": N_("Not started"), "in progress": N_("In progress"), "done": N_("Done")}


@dataclass(frozen=True)
class LessonProgress:
    lesson_id: str
    title: str
    minutes: int  # how long the lesson is meant to take
    status: str  # not started | in progress | done
    score: float | None  # where the learner checked the lesson
    max_score: float
    spent: int | None  # minutes between saves, in sittings, where there were at least two saves
    finished: date | None


def lesson_progress(root: Path, outline: Outline, lesson_id: str) -> LessonProgress:
    content = outline.lessons[lesson_id]
    store = ResponseStore(root / lesson_id / ANSWERS_FILE, lesson_id, writable=False)
    answers = {q.id: q.saved_in(store) for q in content.questions.values()}
    written = sum(r.saved_in(store) is not None for r in content.reflections.values())
    done = None not in answers.values() and written == len(content.reflections)
    status = "done" if done else "in progress" if store.keys() else "not started"
    score = None
    if store.get(CHECKED_LESSON) is not None and content.has_keys:
        score = sum(q.points_for(answers[q.id]) for q in content.questions.values())
    times = [datetime.fromisoformat(t) for t in store.saved_times()]
    return LessonProgress(lesson_id, content.title, content.minutes, status, score, content.graded_points,
                          _minutes_spent(times), max(times).date() if done and times else None)


def _minutes_spent(times: list[datetime]) -> int | None:
    """Minutes between consecutive saves, counting only gaps short enough to be one sitting."""
    if len(times) < 2:
        return None
    gaps = ((b - a).total_seconds() / 60 for a, b in zip(times, times[1:], strict=False))
    return round(sum(g for g in gaps if g <= ACTIVE_GAP_MINUTES)) or None


def track_progress(root: Path, outline: Outline, track: Track) -> list[LessonProgress]:
    return [lesson_progress(root, outline, lid) for lid in track.lessons]


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
    parts = [render.stylesheet()]
    cards: list[w.Widget] = []
    for track in outline.tracks.values():
        rows = track_progress(root, outline, track)
        parts.append(_track_html(track, rows, t))
        if all(r.status == "done" for r in rows):
            cards.append(_record_card(root, outline, track, rows, mode, t))
    return views.Shown(w.VBox([views.html("".join(parts), layout=views.PLAIN), *cards]))


def _track_html(track: Track, rows: list[LessonProgress], t: Language = ENGLISH) -> str:
    done = sum(r.status == "done" for r in rows)

    def link(r: LessonProgress) -> str:
        return f"<a href='{r.lesson_id}/{in_language(r.lesson_id + '.ipynb', t.code)}'>{escape(r.title)}</a>"

    body = "".join(
        f"<tr><td>{link(r)}</td><td>{t._(STATUS_WORDS[r.status])}</td>"
        f"<td>{'' if r.score is None else _score(r, t)}</td>"
        f"<td>{'' if r.spent is None else t._('about {minutes} min', minutes=r.spent)}</td></tr>" for r in rows)
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
            f"<th scope='col'>{t._('Time spent')}</th></tr></thead><tbody>{body}</tbody></table></div>")


def _score(r: LessonProgress, t: Language) -> str:
    return t._("{earned} of {points}", earned=format(r.score, "g"), points=format(r.max_score, "g"))


# -- the completion record ---------------------------------------------------------------------------
NOT_A_LICENSE = N_("This record shows that the person named above finished the lessons listed, in a free, "
                   "self-paced course, with the scores they earned on its questions. It records completion of "
                   "this course only. It is not a license, a certificate of competence or a credential, and "
                   "no school, state or professional body issued it.")


def completion_record(outline: Outline, track: Track, rows: list[LessonProgress], name: str, made: date,
                      t: Language = ENGLISH):
    """The record as a document (text, RTF, a printable page and, where its letters allow, a PDF)."""
    hours = sum(r.minutes for r in rows) / 60
    title = t._("Record of course completion")
    doc = Document(title=f"{title}: {track.title}", slug=f"course-record-{track.id}", language=t.code)
    doc.add("title", title)
    doc.add("para", (*typed(name), *literal(" " + t._("completed the {track} of the course “{course}”.",
                                                       track=t._(track.name).lower(), course=outline.title))))
    doc.table([t._("Lesson"), t._("Completed on"), t._("Score"), t._("Length")],
              [[literal(r.title), literal(t.date(r.finished) if r.finished else ""),
                literal("" if r.score is None else _score(r, t)), literal(t._("{minutes} min", minutes=r.minutes))]
               for r in rows])
    doc.add("para", t.ngettext("{n} lesson, about {hours} hours of training (from the lessons' stated lengths).",
                               "{n} lessons, about {hours} hours of training (from the lessons' stated lengths).",
                               len(rows), hours=_hours(hours, t)) + " "
            + t._("A score is shown where the learner checked the lesson."))
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
                status.value = render.message("warn", t._("Please type your name first."), t=t)
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
