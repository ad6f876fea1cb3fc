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

from . import modes, render, views
from .documents import DOC_CSS, LINK_CSS, Document, download_links, literal, to_html, to_pdf, typed
from .layout import ANSWERS_FILE
from .modes import Mode
from .outline import Outline, Track, load_outline
from .store import ACTIVE_GAP_SECONDS, CHECKED_LESSON, ResponseStore

PROFILE = "my-progress.json"  # the learner's name for their record, at the top of their copy
STATUS_WORDS = {"not started": "Not started", "in progress": "In progress", "done": "Done"}


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
    missing: tuple[str, ...] = field(default=())  # what must still happen for it to be done
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
    missing = []
    if unanswered:
        missing.append(f"{render.number(unanswered)} question{'s' if unanswered != 1 else ''} to answer")
    if unwritten:
        missing.append("the reflection to write" if unwritten == 1 else f"{render.number(unwritten)} reflections to "
                                                                        "write")
    if not content.has_keys:
        missing.append("your instructor's grade")
    elif score is None or not current:
        missing.append("Check my lesson to press" if score is None else "Check my lesson to press again (you "
                                                                        "changed an answer since)")
    elif score < need:
        missing.append(f"{need:g} of {content.graded_points:g} points to reach (you had {score:g}): change the "
                       "answers that were not right, then check again")
    status = "done" if not missing else "in progress" if store.keys() else "not started"
    return LessonProgress(lesson_id, content.title, content.minutes, status, score, content.graded_points,
                          store.seconds_active() if store.keys() else None, finished if status == "done" else None,
                          tuple(missing), current)


def track_progress(root: Path, outline: Outline, track: Track) -> list[LessonProgress]:
    return [lesson_progress(root, outline, lid) for lid in track.lessons]


def time_spent(seconds: int | None) -> str:
    """``seconds`` in words: "less than a minute", "about 12 min", "about 1 h 05 min"."""
    if seconds is None:
        return "not recorded"
    if seconds < 60:
        return "less than a minute"
    minutes = round(seconds / 60)
    return f"about {minutes} min" if minutes < 60 else f"about {minutes // 60} h {minutes % 60:02d} min"


# -- the page -------------------------------------------------------------------------------------
def page(root: str | Path | None = None, mode: Mode | str | None = None):
    """The progress page's one element (the page is ``progress.ipynb`` at the top of the course)."""
    root = Path(root) if root is not None else Path.cwd()
    mode = modes.for_folder(root, mode)
    if mode.grading:
        return None
    if not mode.keeps_answers:
        return views.html(render.stylesheet() + render.message("info", mode.progress), layout=views.PLAIN)
    outline = load_outline(root)
    parts = [render.stylesheet(), f"<style>{DOC_CSS}{LINK_CSS}</style>", _about_this_page(outline)]
    cards: list[w.Widget] = []
    for track in outline.tracks.values():
        rows = track_progress(root, outline, track)
        parts.append(_track_html(outline, track, rows))
        if all(r.status == "done" for r in rows):
            cards.append(_record_card(root, outline, track, rows, mode))
    return views.Shown(w.VBox([views.html("".join(parts), layout=views.PLAIN), *cards]))


def _track_html(outline: Outline, track: Track, rows: list[LessonProgress]) -> str:
    done = sum(r.status == "done" for r in rows)
    body = "".join(
        f"<tr><td><a href='{r.lesson_id}/{r.lesson_id}.ipynb'>{escape(r.title)}</a></td>"
        f"<td>{STATUS_WORDS[r.status]}{_still(r)}</td>"
        f"<td>{_score(r)}</td>"
        f"<td>{'' if r.status == 'not started' else time_spent(r.spent)}</td>"
        f"<td>{r.minutes} min</td></tr>" for r in rows)
    following = next((r for r in rows if r.status != "done"), None)
    if following is None:
        nxt = "You have finished every lesson of this track. Your completion record is below."
    else:
        verb = "Go on with" if following.status == "in progress" else "Start"
        nxt = (f"{verb} <a href='{following.lesson_id}/{following.lesson_id}.ipynb'>{escape(following.title)}</a> "
               f"(about {following.minutes} minutes).")
    return (f"<h2>{escape(track.title)}</h2><p>{done} of {len(rows)} lessons done. <strong>Next:</strong> {nxt}</p>"
            "<div class='course-table-wrap' role='region' tabindex='0' aria-label='Lessons of this track'>"
            "<table class='course-progress'><thead><tr><th scope='col'>Lesson</th><th scope='col'>Status</th>"
            "<th scope='col'>Score (when you checked it)</th><th scope='col'>Time you spent</th>"
            f"<th scope='col'>Planned length</th></tr></thead><tbody>{body}</tbody></table></div>")


def _still(r: LessonProgress) -> str:
    """What is missing before ``r`` is done, under its status."""
    if r.status == "done" or not r.missing:
        return ""
    return "<br><small>Still to do: " + escape("; ".join(r.missing)) + ".</small>"


def _score(r: LessonProgress) -> str:
    if r.score is None:
        return ""
    return f"{r.score:g} of {r.max_score:g}" + ("" if r.checked_since_change else " (before your last change)")


def _about_this_page(outline: Outline) -> str:
    return render.md(
        f"A lesson is **done** when every graded question is answered, the reflection is written, and "
        f"**Check my lesson** gave you at least {outline.pass_mark:g}% of its points. The time you spent is "
        "counted from what you do in the lesson (opening it, answering, saving and checking); a pause of more "
        f"than {ACTIVE_GAP_SECONDS // 60} minutes is not counted.")


# -- the completion record ---------------------------------------------------------------------------
NOT_A_LICENSE = ("This record shows that the person named above finished the lessons listed, in a free, "
                 "self-paced course, with the scores they earned on its questions. It records completion of "
                 "this course only. It is not a license, a certificate of competence or a credential, and "
                 "no school, state or professional body issued it.")


def completion_record(outline: Outline, track: Track, rows: list[LessonProgress], name: str, made: date):
    """The record as a document (text, RTF, a printable page and, where its letters allow, a PDF)."""
    planned = sum(r.minutes for r in rows) * 60
    spent = sum(r.spent or 0 for r in rows)
    doc = Document(title=f"Record of course completion: {track.title}", slug=f"course-record-{track.id}")
    doc.add("title", "Record of course completion")
    doc.add("para", (*typed(name), *literal(f" completed the {track.name.lower()} of the course "
                                            f"\u201c{outline.title}\u201d.")))
    doc.table(["Lesson", "Completed on", "Score", "Time spent", "Planned length"],
              [[literal(r.title), literal(_day(r.finished) if r.finished else ""),
                literal("" if r.score is None else f"{r.score:g} of {r.max_score:g}"), literal(time_spent(r.spent)),
                literal(f"{r.minutes} min")] for r in rows])
    doc.add("para", f"{len(rows)} lessons. Time spent in them: {time_spent(spent)}, counted from the learner's "
                    f"own actions in each lesson (opening it, answering, saving and checking; a pause of more than "
                    f"{ACTIVE_GAP_SECONDS // 60} minutes is not counted). The lessons' planned length: "
                    f"{time_spent(planned).removeprefix('about ')}.")
    doc.add("para", f"Each lesson counts as completed when every graded question was answered, the written "
                    f"reflection was done, and the lesson's check gave at least {outline.pass_mark:g}% of its "
                    "points. The score is the one the learner's last check gave.")
    doc.add("small", NOT_A_LICENSE)
    doc.add("small", f"Made on {_day(made)}.")
    return doc


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _record_card(root: Path, outline: Outline, track: Track, rows: list[LessonProgress], mode: Mode) -> w.Widget:
    profile = mode.answers(root / PROFILE, "course")
    name = w.Text(value=profile.get("name") or "", description="Your name, as it should appear on the record",
                  placeholder="For example: Jordan Lee", continuous_update=False,
                  style={"description_width": "initial"}, layout=views.FULL_WIDTH)
    make = views.button("Make my record", "primary")
    out, status = views.html(), views.live()

    def build(_b=None):
        try:
            typed_name = " ".join(str(name.value or "").split())[:120]
            if not typed_name:
                out.value = ""  # a record without a name is no record: the one made before goes too
                status.value = render.message("warn", "Please type your name first, as it should appear on "
                                                      "the record.")
                return
            profile.save("name", typed_name)
            doc = completion_record(outline, track, rows, typed_name, datetime.now(UTC).date())
            pdf = to_pdf(doc)
            links = download_links(doc, "your record")
            if pdf is None:
                links += render.message("info", "A PDF cannot show every letter of this name: open the printable "
                                                "page and print it, or save it as a PDF from your browser.")
            else:
                import base64

                links = links.replace("</ul>", f'<li><a download="{doc.slug}.pdf" href="data:application/pdf;base64,'
                                      f'{base64.b64encode(pdf).decode()}">PDF (.pdf)</a>: to print or send</li></ul>')
            out.value = to_html(doc) + links
            status.value = render.message("saved", "Your record is ready below.")
        except Exception:  # noqa: BLE001 - never a traceback in front of a learner
            views.log.exception("completion record failed")
            status.value = render.message("warn", "Sorry, your record could not be made just now. Please try again.")

    make.on_click(build)
    return views.card([views.html(f"<h3 style='margin:0.3em 0'>Your completion record: {escape(track.title)}</h3>"
                                  "<p>Type your name and press <strong>Make my record</strong> to get a record to "
                                  "print, or to give to a supervisor.</p>"),
                       name, make, status, out], "course-record")
