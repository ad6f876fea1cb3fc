"""A real class's odd and hostile hand-ins, looked at before anything is graded: learner ids that
are patterns or commands, pipes and huge files saved under a lesson's file names, forged answer
fields, code-like folders, file names with a newline; and a class list checked before it is written."""

from __future__ import annotations

import json
import os
import shlex
import threading

import pytest
from conftest import copy_course
from grading_class import quick_hand_in, write_answers
from learners import answer_key

from course_lib import instructor
from course_lib.instructor import gradebook
from course_lib.instructor.handins import find_handins, one_line
from course_lib.instructor.roster import import_class_list
from course_lib.layout import ANSWERS_FILE, CourseLayout

pytestmark = pytest.mark.slow  # a release with nbgrader, once for the module


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    layout = CourseLayout(copy_course(tmp_path_factory.mktemp("handins")))
    instructor.release(layout, say=lambda _line: None)
    return layout


@pytest.fixture
def layout(course, tmp_path):
    """The released course with an empty submitted/ folder (each test hands in its own)."""
    import shutil

    if course.submitted.exists():
        shutil.rmtree(course.submitted)
    course.submitted.mkdir()
    return course


def _look(layout, known=("ada",)):
    """find_handins, which must return within 30 s whatever the hand-ins are."""
    found = []
    worker = threading.Thread(target=lambda: found.append(find_handins(layout, set(known))), daemon=True)
    worker.start()
    worker.join(30)
    assert found, "looking at the hand-ins stalled"
    return {(h.learner, h.folder.name): h for h in found[0]}


def test_a_learner_id_that_is_a_pattern_a_command_or_a_formula_is_refused_and_never_printed_as_a_command(layout):
    lid = layout.lesson_ids[0]
    odd = ["l*", "br[a]ck", "x;touch MARKER;", '=HYPERLINK("http:"&CHAR(47)&CHAR(47)&"evil.example";"Open")', "-rf"]
    for learner in odd:
        quick_hand_in(layout, learner, lid, {})
    quick_hand_in(layout, "zed", lid, {})  # an ordinary id, not on the class list
    found = _look(layout)
    for learner in odd:
        h = next(h for h in found.values() if h.learner == learner)  # one problem for the learner's folder
        assert not h.gradable and "not an id the course accepts" in h.problems[0], learner
        assert "nbgrader db student add" not in h.problems[0]
    zed = " ".join(found[("zed", lid)].problems)
    assert "nbgrader db student add zed " in zed and "rename" not in zed.lower()
    cmd = f"nbgrader db student add {shlex.quote('x;touch MARKER;')}"  # how any id is printed in a command
    assert shlex.split(cmd)[-1] == "x;touch MARKER;"


def test_a_pipe_saved_as_a_lesson_file_never_stalls_the_run_and_is_named(layout):
    lid = layout.lesson_ids[0]
    for learner, name in (("ada", ANSWERS_FILE), ("bo", f"{lid}.ipynb"), ("cy", "timestamp.txt"),
                          ("di", "lesson.yaml")):
        folder = quick_hand_in(layout, learner, lid, {})
        (folder / name).unlink(missing_ok=True)  # no answers saved: no answers file
        os.mkfifo(folder / name)
    found = _look(layout, known=("ada", "bo", "cy", "di"))
    ada = found[("ada", lid)]
    assert not ada.gradable and ada.suspicious and "is a pipe" in ada.problems[0]
    assert "is a pipe" in " ".join(found[("bo", lid)].problems) and found[("bo", lid)].gradable
    assert found[("cy", lid)].gradable and found[("cy", lid)].handed_in == ""
    assert found[("di", lid)].gradable


def test_forged_fields_long_reflections_code_folders_huge_notebooks_and_odd_names_are_flagged(layout):
    lid = layout.lesson_ids[0]
    folder = quick_hand_in(layout, "ada", lid, {q: k for q, (k, _p) in answer_key(layout.lesson(lid)).items()})
    data = json.loads((folder / ANSWERS_FILE).read_text(encoding="utf-8"))
    data["score"] = 6
    data["answers"]["questions/x"] = {"value": "b", "correct": True, "points": 9}
    (folder / ANSWERS_FILE).write_text(json.dumps(data), encoding="utf-8")
    (folder / "course_lib").mkdir()
    (folder / "course_lib" / "__init__.py").write_text("grade = 100\n")
    (folder / "notes\nline.txt").write_text("x")
    (folder / "\u202etxt.exe").write_text("x")
    found = _look(layout)[("ada", lid)]
    said = " | ".join(found.problems)
    assert found.suspicious and "correct, points, score" in said
    assert "course_lib" in said and "notes\\nline.txt" in said and "\\u202etxt.exe" in said
    assert "\n" not in said and "\u202e" not in said

    folder = quick_hand_in(layout, "bo", lid, {}, reflection=None)
    write_answers(folder, lid, {}, "word " * 1300)
    with open(folder / f"{lid}.ipynb", "r+b") as nb:  # 100 MB, without writing 100 MB
        nb.truncate(100_000_000)
    bo = _look(layout, known=("ada", "bo"))[("bo", lid)]
    assert bo.gradable and bo.suspicious
    assert any("longer than the 5,000 characters" in p for p in bo.problems)
    assert any("larger than 20 MB, so it was not looked at" in p for p in bo.problems)
    assert one_line("a\nb\u202ec", 0) == "a\\nb\\u202ec"


def _csv(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "class.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_class_list_is_checked_before_anything_is_written(layout, tmp_path):
    said = []
    bad = _csv(tmp_path, "id,first_name,last_name,email\nada,Ada,Lovelace,\n\n,,,\nbo,Bo,Blank,\nada,Ana,Other,\n"
                         "Bo,Bob,Case,\nl*,Lee,Star,\n")
    assert not import_class_list(layout, bad, say=said.append)
    text = "\n".join(said)
    assert "line 6: the id 'ada' is already on line 2" in text and "differ only in capitals" in text
    assert "line 8: the id 'l*' cannot be used" in text and "blank line(s) skipped: 3, 4" in text
    assert gradebook.roster(layout) == {}  # nothing written

    said.clear()
    latin1 = _csv(tmp_path, "id,first_name,last_name\nzoe,Zoë,Núñez\n", encoding="cp1252")
    assert not import_class_list(layout, latin1, say=said.append)
    assert "not saved as UTF-8" in said[-1] and gradebook.roster(layout) == {}

    said.clear()
    good = _csv(tmp_path, "\ufeffid,first_name,last_name,email,section\nada,Ada,Lovelace,ada@example.org,A\n"
                          "zoe,Zoë,Núñez,,B\n\n")
    assert import_class_list(layout, good, write=False, say=said.append) and gradebook.roster(layout) == {}
    assert "2 new" in " ".join(said) and "section" in " ".join(said)
    assert import_class_list(layout, good, say=said.append)
    assert gradebook.roster(layout)["zoe"]["first_name"] == "Zoë"
