"""Every lesson runs top to bottom in a fresh kernel in every edition, and the cohort release
gives nothing away."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT
from learners import run_notebook

from course_lib.layout import CourseLayout
from course_lib.publish.leaks import scan_release

LESSONS = CourseLayout(ROOT).lesson_ids


def test_the_course_has_lessons():
    assert len(LESSONS) >= 10, "lesson folders are missing from notebooks/"


def _errors_and_stderr(nb) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                found.append(json.dumps(out)[:500])
    return found


def _widgets(nb) -> int:
    return sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in nb.cells
               for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    from conftest import copy_course

    return CourseLayout(copy_course(tmp_path_factory.mktemp("source")))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_the_source_notebook_runs_top_to_bottom_in_a_fresh_kernel(course_copy, lesson):
    nb = run_notebook(course_copy.lesson_notebook(lesson))
    assert _errors_and_stderr(nb) == []
    assert not (course_copy.lesson(lesson) / "my-answers.json").exists()  # an instructor's preview saves nothing
    assert _widgets(nb) >= sum(c.cell_type == "code" for c in nb.cells) - 1  # the picture cells show widgets too


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["release", "self_paced"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_each_edition_runs_top_to_bottom_and_shows_its_widgets(released_course, tmp_path, lesson, edition):
    folder = shutil.copytree(getattr(released_course, edition) / lesson, tmp_path / lesson)
    nb = run_notebook(folder / f"{lesson}.ipynb")
    assert _errors_and_stderr(nb) == []
    shown = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]  # test cells are empty here
    assert _widgets(nb) >= len(shown)
    assert not (folder / "my-answers.json").exists()  # opening a lesson writes nothing
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in shown)  # code is out of sight


@pytest.mark.slow
def test_any_single_cell_of_a_lesson_works_on_its_own(released_course, tmp_path):
    import nbformat

    lesson = LESSONS[0]
    folder = shutil.copytree(released_course.self_paced / lesson, tmp_path / lesson)
    nb = nbformat.read(folder / f"{lesson}.ipynb", as_version=4)
    question = next(c for c in nb.cells if c.cell_type == "code" and "lesson.question(" in c.source)
    nb.cells = [question]  # as if the learner ran just this one cell in a fresh kernel
    nbformat.write(nb, folder / "one.ipynb")
    ran = run_notebook(folder / "one.ipynb")
    assert _errors_and_stderr(ran) == [] and _widgets(ran) == 1


@pytest.mark.slow
def test_the_release_holds_no_solution_hidden_test_answer_key_or_rubric(released_course):
    assert scan_release(released_course) == []
    for lesson in LESSONS:
        nb = json.loads((released_course.release / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8"))
        test_cells = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
        assert test_cells and all("".join(c["source"]).strip() == "" for c in test_cells)
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
        data = (released_course.release / lesson / "lesson.yaml").read_text(encoding="utf-8")
        assert "edition: cohort" in data and "why:" not in data and "rubric:" not in data


@pytest.mark.slow
def test_the_leak_check_catches_a_planted_key_an_answers_file_and_a_self_paced_data_file(released_course, tmp_path):
    leaky = shutil.copytree(released_course.release, tmp_path / "release")
    lesson = LESSONS[0]
    why = next(q.why for q in __import__("course_lib").load_lesson(ROOT / "notebooks" / lesson).questions.values())
    (leaky / lesson / "notes.txt").write_text(f"psst: {why}")
    (leaky / lesson / "my-answers.json").write_text("{}")
    shutil.copy(released_course.self_paced / LESSONS[1] / "lesson.yaml", leaky / LESSONS[1] / "lesson.yaml")
    problems = scan_release(released_course, leaky)
    assert any("notes.txt" in p and "kept back" in p for p in problems)
    assert any("my-answers.json" in p for p in problems)
    assert any(LESSONS[1] in p and "self-paced" in p for p in problems)
