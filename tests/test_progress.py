"""My progress and the completion record: read from the learner's own saved answers only."""

from __future__ import annotations

import datetime
import json
import re
import shutil

import pytest
from conftest import ROOT
from learners import wrong_answer

from course_lib import progress
from course_lib.content import dump, load_lesson, read_raw, with_edition
from course_lib.documents import files, to_pdf
from course_lib.layout import COURSE_FILE, LESSON_FILE, CourseLayout
from course_lib.outline import load_outline
from course_lib.progress import completion_record, track_progress
from course_lib.store import ANSWERS_FILE, CHECKED_LESSON, ResponseStore
from course_lib.views import text_of


@pytest.fixture
def course(tmp_path):
    """A learner's own copy of the course as My progress reads it, with no answers yet: the tracks
    and each lesson's self-paced data (made in milliseconds; the editions' tests build whole ones)."""
    source, mine = CourseLayout(ROOT), tmp_path / "mine"
    for lid in source.lesson_ids:
        (mine / lid).mkdir(parents=True)
        (mine / lid / LESSON_FILE).write_text(dump(with_edition(read_raw(source.lesson(lid)), "self-paced")))
    shutil.copy(source.course_file, mine / COURSE_FILE)
    return mine


def _finish(root, lid, check=True, right=True, reflection=True):
    """Every graded question answered (right, or each wrong) and the reflection written, as the widgets
    save them; then, with ``check``, "Check my lesson" pressed (it saves the score it showed)."""
    content, store = load_lesson(root / lid), ResponseStore(root / lid / ANSWERS_FILE, lid)
    for q in content.questions.values():
        store.save(q.store_key, q.key if right else wrong_answer(q, q.key))
    if reflection:
        for r in content.reflections.values():
            store.save(r.store_key, "My reflection.")
    if check:
        earned = sum(q.points_for(q.saved_in(store)) for q in content.questions.values())
        store.save(CHECKED_LESSON, {"score": earned, "max": content.graded_points, "unanswered": 0})


def _rows(course, track="parent"):
    outline = load_outline(course)
    return {r.lesson_id: r for r in track_progress(course, outline, outline.tracks[track])}


def _record_cards(page):
    return [c for c in page.widget.children[1:] if "course-record" in c._dom_classes]


def test_each_lesson_is_not_started_in_progress_or_done_from_the_saved_answers(course):
    outline = load_outline(course)
    track = outline.tracks["parent"]
    first, second = track.lessons[:2]
    _finish(course, first)
    practice = next(iter(load_lesson(course / second).self_checks.values()))
    ResponseStore(course / second / ANSWERS_FILE, second).save(practice.store_key, practice.option_ids[0])
    rows = _rows(course)
    assert rows[first].status == "done" and rows[first].score == outline.lessons[first].graded_points
    assert rows[first].finished == datetime.datetime.now(datetime.UTC).date() and rows[first].missing == ()
    assert rows[second].status == "in progress" and rows[second].score is None
    assert "questions to answer" in rows[second].missing[0]
    assert {r.status for lid, r in rows.items() if lid not in (first, second)} == {"not started"}


def test_a_lesson_is_done_only_when_checked_at_or_above_the_pass_mark_with_nothing_changed_since(course):
    outline = load_outline(course)
    unchecked, failed, changed = outline.tracks["parent"].lessons[:3]
    _finish(course, unchecked, check=False)
    _finish(course, failed, right=False)
    _finish(course, changed)
    content = load_lesson(course / changed)
    q = next(iter(content.questions.values()))
    ResponseStore(course / changed / ANSWERS_FILE, changed).save(q.store_key, q.key)  # saved again after the check
    store = json.loads((course / changed / ANSWERS_FILE).read_text())
    store["answers"][CHECKED_LESSON]["saved"] = "2020-01-01T00:00:00+00:00"  # the check came first
    (course / changed / ANSWERS_FILE).write_text(json.dumps(store))
    rows = _rows(course)
    assert rows[unchecked].status == "in progress" and rows[unchecked].missing == ("Check my lesson to press",)
    assert rows[unchecked].score is None  # never a score the learner did not see
    assert rows[failed].status == "in progress" and rows[failed].score == 0
    assert "points to reach (you had 0)" in rows[failed].missing[0]
    assert rows[changed].status == "in progress" and not rows[changed].checked_since_change
    assert "again" in rows[changed].missing[0]
    page = text_of(progress.page(course, mode="learn").widget.children[0].value)
    assert "(before your last change)" in page and "Still to do: Check my lesson to press." in page
    assert "at least 80% of its points" in page


def test_the_pass_mark_comes_from_course_yaml(course):
    outline = load_outline(course)
    lid = outline.tracks["parent"].lessons[0]
    content = load_lesson(course / lid)
    store = ResponseStore(course / lid / ANSWERS_FILE, lid)
    for n, q in enumerate(content.questions.values()):  # about half right
        store.save(q.store_key, q.key if n % 2 == 0 else wrong_answer(q, q.key))
    for r in content.reflections.values():
        store.save(r.store_key, "Mine.")
    earned = sum(q.points_for(q.saved_in(store)) for q in content.questions.values())
    store.save(CHECKED_LESSON, {"score": earned, "max": content.graded_points})
    assert 0 < earned < content.graded_points * 0.8
    assert _rows(course)[lid].status == "in progress"
    course_file = course / COURSE_FILE
    mark = 100 * earned // content.graded_points
    course_file.write_text(course_file.read_text().replace("pass_mark: 80", f"pass_mark: {mark:g}"))
    assert load_outline(course).pass_mark < 80 and _rows(course)[lid].status == "done"


def test_a_damaged_answers_file_counts_as_not_done_and_the_page_still_shows(course):
    outline = load_outline(course)
    lid = outline.tracks["parent"].lessons[0]
    (course / lid / ANSWERS_FILE).write_text("{broken")
    assert track_progress(course, outline, outline.tracks["parent"])[0].status == "not started"
    page = progress.page(course, mode="learn")
    assert "0 of 8 lessons done" in text_of(page.widget.children[0].value)


def test_the_page_says_what_to_do_next_and_offers_the_record_only_for_a_finished_track(course):
    outline = load_outline(course)
    parent, aide = outline.tracks["parent"], outline.tracks["aide"]
    for lid in aide.lessons:
        _finish(course, lid)
    page = progress.page(course, mode="learn")
    text = text_of(page.widget.children[0].value)
    assert f"{len(aide.lessons)} of {len(aide.lessons)} lessons done" in text
    following = next(lid for lid in parent.lessons if lid not in aide.lessons)
    assert f"Next: Start {outline.lessons[following].title}" in text
    records = _record_cards(page)
    assert len(records) == 1 and "aides" in text_of(records[0].children[0].value).lower()


def test_a_track_finished_too_fast_with_failing_scores_gets_no_record(course):
    """Seven lessons each answered in seconds, every answer wrong, and checked: an aide must not get
    "7 lessons, about 4.5 hours of training" to hand to a supervisor."""
    outline = load_outline(course)
    for lid in outline.tracks["aide"].lessons:
        _finish(course, lid, right=False)
    page = progress.page(course, mode="learn")
    assert _record_cards(page) == []
    text = text_of(page.widget.children[0].value)
    assert f"0 of {len(outline.tracks['aide'].lessons)} lessons done" in text
    assert "hours of training" not in text


def test_the_web_view_keeps_no_progress_and_says_so(course):
    page = progress.page(course, mode="view")
    assert "Nothing you choose or type here is kept" in text_of(page.value)
    assert not list(course.rglob("my-progress.json"))


def test_the_record_names_the_learner_each_lesson_its_score_the_time_spent_beside_the_planned_length(course):
    outline = load_outline(course)
    track = outline.tracks["aide"]
    for lid in track.lessons:
        _finish(course, lid)
    rows = track_progress(course, outline, track)
    assert {r.status for r in rows} == {"done"}
    doc = completion_record(outline, track, rows, "Zoë <b>Ñúñez</b>", datetime.date(2026, 11, 25))
    text = files(doc)[f"{doc.slug}.txt"][0]
    assert "Zoë <b>Ñúñez</b> completed the aides' track" in text
    assert all(outline.lessons[lid].title in text for lid in track.lessons)
    planned = sum(outline.lessons[lid].minutes for lid in track.lessons)
    assert "Time spent in them: less than a minute" in text  # answered by a test in a moment, and said so
    assert f"The lessons' planned length: {planned // 60} h {planned % 60:02d} min." in text
    assert "hours of training" not in text and "at least 80% of its points" in text
    points = outline.lessons[track.lessons[0]].graded_points
    assert f"{points:g} of {points:g}" in text and "November 25, 2026" in text and "not a license" in text
    page = files(doc)[f"{doc.slug}.html"][0]
    assert "Zoë &lt;b&gt;Ñúñez&lt;/b&gt;" in page and "<b>Ñúñez" not in page


def test_time_spent_reads_plainly():
    assert progress.time_spent(None) == "not recorded"
    assert progress.time_spent(40) == "less than a minute"
    assert progress.time_spent(25 * 60 + 20) == "about 25 min"
    assert progress.time_spent(4 * 3600 + 30 * 60) == "about 4 h 30 min"
    assert progress.points_needed(6, 80) == 5 and progress.points_needed(10, 80) == 8


def test_an_empty_name_takes_the_record_away_and_says_why(course):
    outline = load_outline(course)
    for lid in outline.tracks["aide"].lessons:
        _finish(course, lid)
    card = _record_cards(progress.page(course, mode="learn"))[0]
    name, make, status, out = card.children[1:5]
    name.value = "Jordan Lee"
    make.click()
    assert "Jordan Lee completed" in text_of(out.value) and "ready" in text_of(status.value)
    name.value = "   "
    make.click()
    assert out.value == "" and "type your name first" in text_of(status.value)


def test_the_pdf_is_a_valid_pdf_and_a_name_its_fonts_lack_gets_the_printable_page_instead(course):
    outline = load_outline(course)
    track = outline.tracks["aide"]
    rows = track_progress(course, outline, track)
    pdf = to_pdf(completion_record(outline, track, rows, "Zoë (Ñúñez) \\ O'Neil", datetime.date(2026, 11, 25)))
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))
    assert pdf[xref:xref + 4] == b"xref"  # the cross-reference table is where the file says
    for n, offset in enumerate(re.findall(rb"(\d{10}) 00000 n", pdf), 1):
        assert pdf[int(offset):].startswith(f"{n} 0 obj".encode())
    assert b"Z\xf6e" not in pdf and b"Zo\xeb" in pdf  # Windows-1252, as the standard fonts read it
    assert to_pdf(completion_record(outline, track, rows, "李小龍", datetime.date(2026, 11, 25))) is None
