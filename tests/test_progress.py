"""My progress and the completion record: read from the learner's own saved answers only."""

from __future__ import annotations

import datetime
import re
import shutil

import pytest
from conftest import ROOT

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


def _finish(root, lid, check=False):
    """Every graded question answered right and the reflection written, as the widgets save them."""
    content, store = load_lesson(root / lid), ResponseStore(root / lid / ANSWERS_FILE, lid)
    for q in content.questions.values():
        store.save(q.store_key, q.key)
    for r in content.reflections.values():
        store.save(r.store_key, "My reflection.")
    if check:
        store.save(CHECKED_LESSON, {"score": 1})


def test_each_lesson_is_not_started_in_progress_or_done_from_the_saved_answers(course):
    outline = load_outline(course)
    track = outline.tracks["parent"]
    first, second = track.lessons[:2]
    _finish(course, first, check=True)
    practice = next(iter(load_lesson(course / second).self_checks.values()))
    ResponseStore(course / second / ANSWERS_FILE, second).save(practice.store_key, practice.option_ids[0])
    rows = {r.lesson_id: r for r in track_progress(course, outline, track)}
    assert rows[first].status == "done" and rows[first].score == outline.lessons[first].graded_points
    assert rows[first].finished == datetime.datetime.now(datetime.UTC).date()
    assert rows[second].status == "in progress" and rows[second].score is None
    assert {r.status for lid, r in rows.items() if lid not in (first, second)} == {"not started"}


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
    records = [c for c in page.widget.children[1:] if "course-record" in c._dom_classes]
    assert len(records) == 1 and "aides" in text_of(records[0].children[0].value).lower()


def test_the_web_view_keeps_no_progress_and_says_so(course):
    page = progress.page(course, mode="view")
    assert "Nothing you choose or type here is kept" in text_of(page.value)
    assert not list(course.rglob("my-progress.json"))


def test_the_record_names_the_learner_the_track_each_lesson_the_hours_and_that_it_is_not_a_license(course):
    outline = load_outline(course)
    track = outline.tracks["aide"]
    for lid in track.lessons:
        _finish(course, lid)
    rows = track_progress(course, outline, track)
    doc = completion_record(outline, track, rows, "Zoë <b>Ñúñez</b>", datetime.date(2026, 11, 25))
    text = files(doc)[f"{doc.slug}.txt"][0]
    assert "Zoë <b>Ñúñez</b> completed the aides' track" in text
    assert all(outline.lessons[lid].title in text for lid in track.lessons)
    hours = sum(outline.lessons[lid].minutes for lid in track.lessons) / 60
    assert f"about {hours:.1f} hours of training" in text and "November 25, 2026" in text
    assert "not a license" in text
    page = files(doc)[f"{doc.slug}.html"][0]
    assert "Zoë &lt;b&gt;Ñúñez&lt;/b&gt;" in page and "<b>Ñúñez" not in page


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
