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
import yaml
from conftest import copy_course, free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def course_root(tmp_path):
    return copy_course(tmp_path)


def _course(root, *args):
    return subprocess.run([sys.executable, "-m", "course_lib", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)


def test_starting_again_repairs_a_damaged_lesson_and_keeps_the_answers_and_the_changed_copy(course_root):
    """Issue 21, item 1: `d` `d` and `a` once damaged a lesson for good: the next start said "Kept your
    changed copy" and the course home kept opening the damaged one. Now the next start repairs it."""
    first = _course(course_root, "start", "--no-lab")
    assert first.returncode == 0, first.stderr
    lesson = _lessons(course_root / "workspace")[0]
    notebook = lesson / f"{lesson.name}.ipynb"
    whole = notebook.read_text()
    nb = json.loads(whole)
    key_points = next(i for i, c in enumerate(nb["cells"]) if "key_points" in "".join(c["source"]))
    del nb["cells"][key_points]  # d d
    nb["cells"].insert(key_points, {"cell_type": "code", "id": "stray", "metadata": {}, "outputs": [],
                                    "execution_count": None, "source": ""})  # a
    notebook.write_text(json.dumps(nb))
    answers = '{"format": 1, "lesson": "x", "answers": {}}'
    (lesson / "my-answers.json").write_text(answers)

    again = _course(course_root, "start", "--no-lab")
    assert again.returncode == 0, again.stderr
    assert notebook.read_text() == whole
    assert (lesson / "my-answers.json").read_text() == answers
    assert not list(lesson.glob("*.new.ipynb"))
    [kept] = (course_root / "workspace" / ".changed-copies").glob(f"*/{lesson.name}/{lesson.name}.ipynb")
    assert '"stray"' in kept.read_text()
    assert f"Repaired {lesson.name}/{lesson.name}.ipynb from the course (your answers are kept)" in again.stdout


def test_a_course_update_reaches_every_lesson_and_a_changed_copy_is_kept_aside(course_root):
    assert _course(course_root, "start", "--no-lab").returncode == 0
    opened, changed = _lessons(course_root / "workspace")[:2]
    _edit(opened / f"{opened.name}.ipynb", metadata={"language_info": {"name": "python", "version": "3.11"}})
    _edit(changed / f"{changed.name}.ipynb", note="My own note")
    for lesson in (opened, changed):  # the course's authors improve both lessons, in every language they have
        _author_adds_a_note(course_root / "notebooks" / lesson.name)

    update = _course(course_root, "start", "--no-lab")
    assert update.returncode == 0, update.stderr
    for lesson in (opened, changed):
        assert "New in this version" in (lesson / f"{lesson.name}.ipynb").read_text()
        assert not (lesson / f"{lesson.name}.new.ipynb").exists()
    spanish = opened / f"{opened.name}.es.ipynb"
    assert spanish.is_file() and "Nuevo en esta versión" in spanish.read_text()
    [kept] = (course_root / "workspace" / ".changed-copies").glob(f"*/{changed.name}/{changed.name}.ipynb")
    assert "My own note" in kept.read_text()
    assert f"Repaired {changed.name}/{changed.name}.ipynb" in update.stdout and f"Repaired {opened.name}" not in \
        update.stdout


def _lessons(workspace):
    return sorted(p for p in workspace.iterdir() if p.is_dir() and not p.name.startswith("."))


def _author_adds_a_note(folder):
    """What an author does: a new Markdown cell in the lesson's notebook, and its translation beside the lesson's
    other texts in each language it is written in (course check refuses a translation that lacks a cell)."""
    _edit(folder / f"{folder.name}.ipynb", note="New in this version")
    for path in folder.glob("lesson.*.yaml"):
        translation = yaml.safe_load(path.read_text(encoding="utf-8"))
        translation.setdefault("cells", {})["note"] = "Nuevo en esta versión"
        path.write_text(yaml.safe_dump(translation, allow_unicode=True, sort_keys=False), encoding="utf-8")


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
