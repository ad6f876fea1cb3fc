"""Re-installing or updating the course never loses a learner's work, and repairs a damaged lesson."""

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


def _aside(ws, rel):
    """The copies kept aside of the course file ``rel``, oldest first."""
    return sorted((ws / ".changed-copies").glob(f"*/{rel}"))


def test_a_changed_notebook_is_repaired_from_the_course_and_the_changed_copy_kept_aside(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path), ws)
    nb = ws / "01-lesson" / "01-lesson.ipynb"
    nb.write_text("my work")
    report = sync_workspace(_release(tmp_path, notebook="v2"), ws)
    assert nb.read_text() == "v2"
    [kept] = _aside(ws, "01-lesson/01-lesson.ipynb")
    assert kept.read_text() == "my work"
    assert report.repaired == [("01-lesson/01-lesson.ipynb", kept.relative_to(ws).as_posix())]
    assert "Repaired 01-lesson/01-lesson.ipynb from the course (your answers are kept)" in report.summary()
    assert not (ws / "01-lesson" / "01-lesson.new.ipynb").exists()


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


def test_a_damaged_manifest_still_loses_nothing(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path), ws)
    (ws / ".course-manifest.json").write_text("{broken")
    sync_workspace(_release(tmp_path, notebook="v2"), ws)
    assert (ws / "01-lesson" / "01-lesson.ipynb").read_text() == "v2"
    assert [p.read_text() for p in _aside(ws, "01-lesson/01-lesson.ipynb")] == ["v1"]


def _notebook(*sources, **metadata):
    cells = [{"cell_type": "markdown", "id": f"c{i}", "metadata": {}, "source": s} for i, s in enumerate(sources)]
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def _opened_in_jupyterlab(path):
    """What JupyterLab does to a lesson merely opened and saved: metadata, ids, a newer minor version."""
    nb = json.loads(path.read_text())
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    nb["nbformat_minor"] = 5
    for cell in nb["cells"]:
        cell["id"] = "new-" + cell["id"]
        cell["source"] = cell["source"].splitlines(keepends=True)  # a list of lines, same text
    path.write_text(json.dumps(nb))


def test_a_lesson_only_opened_and_saved_is_made_the_courses_again_quietly(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello")), ws)
    nb = ws / "01-lesson" / "01-lesson.ipynb"
    _opened_in_jupyterlab(nb)
    report = sync_workspace(_release(tmp_path, notebook=_notebook("Hello")), ws)
    assert nb.read_text() == _notebook("Hello") and not report.notices()
    assert not (ws / ".changed-copies").exists() and not (ws / "01-lesson" / "01-lesson.new.ipynb").exists()


def test_a_lesson_only_opened_and_saved_gets_the_courses_update(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello")), ws)
    nb = ws / "01-lesson" / "01-lesson.ipynb"
    _opened_in_jupyterlab(nb)
    report = sync_workspace(_release(tmp_path, notebook=_notebook("Hello, again")), ws)
    assert nb.read_text() == _notebook("Hello, again")
    assert report.updated == ["01-lesson/01-lesson.ipynb"] and not report.notices()
    assert not (ws / "01-lesson" / "01-lesson.new.ipynb").exists()


def test_a_course_change_to_metadata_alone_reaches_an_opened_lesson(tmp_path):
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello")), ws)
    _opened_in_jupyterlab(ws / "01-lesson" / "01-lesson.ipynb")
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello", course={"lesson": "01"})), ws)
    assert json.loads((ws / "01-lesson" / "01-lesson.ipynb").read_text())["metadata"] == {"course": {"lesson": "01"}}


def test_a_lesson_damaged_by_stray_keys_is_repaired_even_when_the_course_did_not_change(tmp_path):
    """`d` `d` deleted the key points and `a` added an empty cell; autosave wrote both to disk."""
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello", "Key points")), ws)
    nb = ws / "01-lesson" / "01-lesson.ipynb"
    nb.write_text(_notebook("Hello", ""))
    answers = ws / "01-lesson" / "my-answers.json"
    answers.write_text("mine")
    report = sync_workspace(_release(tmp_path, notebook=_notebook("Hello", "Key points")), ws)
    assert nb.read_text() == _notebook("Hello", "Key points") and answers.read_text() == "mine"
    assert [p.read_text() for p in _aside(ws, "01-lesson/01-lesson.ipynb")] == [_notebook("Hello", "")]
    again = sync_workspace(_release(tmp_path, notebook=_notebook("Hello", "Key points")), ws)
    assert report.notices() and not again.notices() and not again.updated


def test_the_new_copy_an_older_version_put_beside_a_changed_lesson_is_put_aside(tmp_path):
    """An older version kept the changed lesson and put the course's beside it as .new.ipynb; the
    course home kept opening the damaged one."""
    ws = tmp_path / "ws"
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello")), ws)
    beside = ws / "01-lesson" / "01-lesson.new.ipynb"
    beside.write_text(_notebook("Hello, again"))
    manifest = json.loads((ws / ".course-manifest.json").read_text())
    manifest["files"]["01-lesson/01-lesson.new.ipynb"] = manifest["files"]["01-lesson/01-lesson.ipynb"]
    (ws / ".course-manifest.json").write_text(json.dumps(manifest))
    (ws / "01-lesson" / "01-lesson.ipynb").write_text(_notebook("Hello", "damaged"))
    sync_workspace(_release(tmp_path, notebook=_notebook("Hello, again")), ws)
    assert not beside.exists() and (ws / "01-lesson" / "01-lesson.ipynb").read_text() == _notebook("Hello, again")
    assert [p.read_text() for p in _aside(ws, "01-lesson/01-lesson.new.ipynb")] == [_notebook("Hello, again")]
    assert "01-lesson/01-lesson.new.ipynb" not in json.loads((ws / ".course-manifest.json").read_text())["files"]


def test_a_workspace_from_before_the_substance_rule_is_updated_where_untouched(tmp_path):
    """Manifests of the first format recorded one digest of the whole file."""
    import hashlib

    ws = tmp_path / "ws"
    release = _release(tmp_path, notebook=_notebook("Hello"))
    sync_workspace(release, ws)
    old = {rel: hashlib.sha256((release / rel).read_bytes()).hexdigest()
           for rel in ("01-lesson/01-lesson.ipynb", "01-lesson/lesson.yaml")}
    (ws / ".course-manifest.json").write_text(json.dumps(old))
    report = sync_workspace(_release(tmp_path, notebook=_notebook("Hello, again")), ws)
    assert report.updated == ["01-lesson/01-lesson.ipynb"] and not report.notices()


def test_answers_in_the_release_are_never_copied_over_the_learners(tmp_path):
    ws = tmp_path / "ws"
    release = _release(tmp_path)
    sync_workspace(release, ws)
    (ws / "01-lesson" / "my-answers.json").write_text("mine")
    (release / "01-lesson" / "my-answers.json").write_text("someone else's")
    sync_workspace(release, ws)
    assert (ws / "01-lesson" / "my-answers.json").read_text() == "mine"
