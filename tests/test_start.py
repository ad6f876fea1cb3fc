"""`course start` (what `make start` runs): a learner's JupyterLab on their own workspace."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import copy_course, free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def course_root(tmp_path):
    return copy_course(tmp_path)


def _course(root, *args):
    return subprocess.run([sys.executable, "-m", "course_lib", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def test_starting_again_keeps_the_learners_edited_notebook_and_answers(course_root):
    first = _course(course_root, "start", "--no-lab")
    assert first.returncode == 0, first.stderr
    lesson = _lessons(course_root / "workspace")[0]
    notebook = lesson / f"{lesson.name}.ipynb"
    _edit(notebook, note="My own note")
    (lesson / "my-answers.json").write_text('{"format": 1, "lesson": "x", "answers": {}}')
    edited = notebook.read_text()

    again = _course(course_root, "start", "--no-lab")
    assert again.returncode == 0, again.stderr
    assert notebook.read_text() == edited
    assert not list(lesson.glob("*.new.ipynb")), "the course did not change: nothing to put beside it"
    assert (lesson / "my-answers.json").read_text() == '{"format": 1, "lesson": "x", "answers": {}}'


def test_a_course_update_reaches_a_lesson_only_opened_and_sits_beside_one_the_learner_changed(course_root):
    assert _course(course_root, "start", "--no-lab").returncode == 0
    opened, changed = _lessons(course_root / "workspace")[:2]
    _edit(opened / f"{opened.name}.ipynb", metadata={"language_info": {"name": "python", "version": "3.11"}})
    _edit(changed / f"{changed.name}.ipynb", note="My own note")
    for lesson in (opened, changed):  # the course's authors improve both lessons
        _edit(course_root / "notebooks" / lesson.name / f"{lesson.name}.ipynb", note="New in this version")

    update = _course(course_root, "start", "--no-lab")
    assert update.returncode == 0, update.stderr
    assert "New in this version" in (opened / f"{opened.name}.ipynb").read_text()
    assert not (opened / f"{opened.name}.new.ipynb").exists()
    assert "My own note" in (changed / f"{changed.name}.ipynb").read_text()
    assert "New in this version" in (changed / f"{changed.name}.new.ipynb").read_text()
    assert f"Kept your changed copy of {changed.name}/{changed.name}.ipynb" in update.stdout


def _lessons(workspace):
    return sorted(p for p in workspace.iterdir() if p.is_dir() and not p.name.startswith("."))


def _edit(path, note=None, metadata=None):
    nb = json.loads(path.read_text())
    if note:
        nb["cells"].insert(-1, {"cell_type": "markdown", "id": "note", "metadata": {}, "source": note})
    nb["metadata"].update(metadata or {})
    path.write_text(json.dumps(nb))


def test_start_opens_jupyterlab_on_the_workspace(course_root):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "course_lib", "--root", str(course_root), "start",
                             f"--port={port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "BROWSER": "true"})
    try:
        token, deadline, seen = None, time.monotonic() + 300, ""
        while token is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            seen += line
            if m := re.search(rf"http://127\.0\.0\.1:{port}/lab(/tree/index\.ipynb)?\?token=(\w+)", line):
                opens_home, token = bool(m.group(1)), m.group(2)
            elif proc.poll() is not None:
                break
        assert token, seen[-2000:]
        assert opens_home, "JupyterLab should open on the course home, index.ipynb"
        listing = _get_when_up(f"http://127.0.0.1:{port}/api/contents?token={token}", proc)
        lessons = [p.name for p in (course_root / "notebooks").iterdir() if p.is_dir()]
        assert all(f'"{name}"' in listing for name in lessons)
        assert '"index.ipynb"' in listing and '"glossary.ipynb"' in listing
    finally:
        proc.send_signal(signal.SIGINT)  # Ctrl+C
        proc.wait(timeout=30)


def _get_when_up(url, proc, within=30):
    """The server prints its address a moment before it accepts connections: retry briefly."""
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read().decode()
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                pytest.fail(f"JupyterLab did not answer; it printed:\n{proc.stdout.read()[-3000:]}")
            time.sleep(0.5)
