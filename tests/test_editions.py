"""One source per lesson: what a question is, its key, points and feedback are data, and every
edition is generated from it. Migrating the keys into the data changed no score."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import FIXTURES, ROOT

import course_lib
from course_lib.content import load_lesson
from course_lib.layout import CourseLayout

LAYOUT = CourseLayout(ROOT)


def test_questions_unchanged_since_the_keys_moved_into_the_data_score_as_before(tmp_path):
    """The scores were recorded with the hidden-test keys, before the migration
    (tests/fixtures/scores-before-migration.json). A question rewritten since has a new id, so
    every question still here is one of those: each recorded answer must earn the same points."""
    before = json.loads((FIXTURES / "scores-before-migration.json").read_text())
    graders, compared = {}, 0
    for ref, record in before.items():
        lid, qid = ref.split("/")
        if lid not in graders:
            (tmp_path / lid).mkdir()
            (tmp_path / lid / "lesson.yaml").write_text((LAYOUT.lesson(lid) / "lesson.yaml").read_text())
            graders[lid] = (course_lib.open_lesson(tmp_path / lid, mode="learn").store,
                            course_lib.open_lesson(tmp_path / lid, mode="grade"))
        learner, grader = graders[lid]
        if qid not in grader.content.questions:
            continue
        for row in record["scores"]:
            learner.save(f"questions/{qid}", row["answer"])
            assert grader.grade(qid) == row["points"], (ref, row)
            compared += 1
    print(f"{compared} recorded answers scored as before")
    assert compared > 0


@pytest.mark.slow
def test_nbgrader_metadata_points_and_counts_are_generated_from_the_data(released_course):
    for lid in released_course.lesson_ids:
        content = load_lesson(released_course.notebooks / lid)
        nb = nbformat.read(released_course.source / lid / f"{lid}.ipynb", as_version=4)
        tests = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("grade")}
        assert tests == {f"test-{qid}": q.points for qid, q in content.questions.items()}
        tasks = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("task")}
        assert tasks == {f"{rid}-rubric": r.points for rid, r in content.reflections.items()}
        assert all(c.metadata["nbgrader"]["locked"] for c in nb.cells)
        assert nb.cells[0].id == "navigation-top" and nb.cells[-1].id == "navigation-bottom"


def test_the_graded_questions_count_shown_to_a_learner_is_the_number_in_the_data(sample):
    lesson = course_lib.open_lesson(sample)
    assert "These three questions" in lesson.graded_intro().value


@pytest.mark.slow
def test_adding_a_graded_question_is_one_entry_in_the_data_and_one_line_in_the_notebook(tmp_path):
    """What docs/authoring.md shows a new author: nothing else to write, nothing to keep in step."""
    import shutil

    from conftest import copy_course

    from course_lib.publish import RELEASE, SELF_PACED, run
    from course_lib.publish.checks import check_sources

    layout = CourseLayout(copy_course(tmp_path))
    lid = layout.lesson_ids[0]
    data = layout.lesson(lid) / "lesson.yaml"
    data.write_text(data.read_text().replace("\nquestions:\n", """
questions:
  new-one:
    kind: single
    points: 3
    skill: recall
    prompt: Which of these is a related service under the IDEA?
    options:
      - {id: a, text: Occupational therapy, correct: true}
      - {id: b, text: A school trip, feedback: A trip is not a service in the IEP.}
    why: OT is on the list of related services (34 CFR 300.34(a)).
""", 1))
    for path in layout.lesson(lid).glob("lesson.*.yaml"):  # the lesson in Spanish: the new question's words
        translation = yaml.safe_load(path.read_text(encoding="utf-8"))
        translation["questions"]["new-one"] = {
            "prompt": "¿Cuál de estos es un servicio relacionado según la ley IDEA?",
            "options": {"a": {"text": "Terapia ocupacional"},
                        "b": {"text": "Una excursión escolar", "feedback": "Una excursión no es un servicio del IEP."}},
            "why": "La terapia ocupacional está en la lista de servicios relacionados (34 CFR 300.34(a))."}
        path.write_text(yaml.safe_dump(translation, allow_unicode=True, sort_keys=False), encoding="utf-8")
    nb = nbformat.read(layout.lesson_notebook(lid), as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "graded_intro" in c.source)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell('lesson.question("new-one")'))
    nbformat.write(nb, layout.lesson_notebook(lid))
    assert check_sources(layout) == []
    run(RELEASE, layout)
    run(SELF_PACED, layout)
    source = nbformat.read(layout.source / lid / f"{lid}.ipynb", as_version=4)
    test = next(c for c in source.cells if c.id == "test-new-one")
    assert test.metadata["nbgrader"]["points"] == 3 and "lesson.grade('new-one')" in test.source
    assert "five questions" in course_lib.open_lesson(layout.self_paced / lid, mode="view").graded_intro().value
    assert "Occupational therapy, correct" not in (layout.release / lid / "lesson.yaml").read_text()
    shutil.rmtree(tmp_path / "grading")


@pytest.mark.slow
def test_a_self_paced_copy_keeps_its_keys_and_a_cohort_copy_has_none(released_course):
    lid = released_course.lesson_ids[0]
    assert load_lesson(released_course.self_paced / lid).has_keys
    assert not load_lesson(released_course.release / lid).has_keys
    assert all(q.key is not None for q in load_lesson(released_course.self_paced / lid).questions.values())


def test_the_kernel_side_imports_neither_nbgrader_nor_nbformat():
    import subprocess
    import sys

    code = ("import sys, course_lib; course_lib.lesson; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nbgrader', 'nbformat', 'nbconvert')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(ROOT), check=True)
    assert out.stdout.strip() == "[]"
