"""Re-installing or updating the course never overwrites a learner's work."""

import json

from course_lib.workspace import sync_workspace


def _release(tmp_path, notebook="v1", data="d1"):
    rel = tmp_path / "release" / "01-lesson"
    rel.mkdir(parents=True, exist_ok=True)
    (rel / "01-lesson.ipynb").write_text(notebook)
    (rel / "lesson.yaml").write_text(data)
    return tmp_path / "release"


def test_first_start_copies_the_release_into_the_workspace(tmp_path):
    report = sync_workspace(_release(tmp_path), tmp_path / "ws")
    assert sorted(report.added) == ["01-lesson/01-lesson.ipynb", "01-lesson/lesson.yaml"]
    assert (tmp_path / "ws" / "01-lesson" / "01-lesson.ipynb").read_text() == "v1"


def test_an_edited_notebook_is_kept_and_the_new_version_put_beside_it(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path), ws)
    nb = ws / "01-lesson" / "01-lesson.ipynb"
    nb.write_text("my work")
    report = sync_workspace(_release(tmp_path, notebook="v2"), ws)
    assert nb.read_text() == "my work"
    assert (ws / "01-lesson" / "01-lesson.new.ipynb").read_text() == "v2"
    assert report.kept == ["01-lesson/01-lesson.ipynb"] and "Kept your changed copy" in report.summary()


def test_an_untouched_file_is_updated_to_the_new_release(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path), ws)
    report = sync_workspace(_release(tmp_path, data="d2"), ws)
    assert (ws / "01-lesson" / "lesson.yaml").read_text() == "d2"
    assert report.updated == ["01-lesson/lesson.yaml"]


def test_saved_answers_are_never_touched(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path), ws)
    answers = ws / "01-lesson" / "my-answers.json"
    answers.write_text(json.dumps({"answers": {"questions/q": {"value": "a"}}}))
    sync_workspace(_release(tmp_path, notebook="v2", data="d2"), ws)
    sync_workspace(_release(tmp_path, notebook="v3"), ws)
    assert json.loads(answers.read_text())["answers"]["questions/q"]["value"] == "a"


def test_a_damaged_manifest_errs_on_the_side_of_keeping_files(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path), ws)
    (ws / ".course-manifest.json").write_text("{broken")
    sync_workspace(_release(tmp_path, notebook="v2"), ws)
    assert (ws / "01-lesson" / "01-lesson.ipynb").read_text() == "v1"
    assert (ws / "01-lesson" / "01-lesson.new.ipynb").read_text() == "v2"
