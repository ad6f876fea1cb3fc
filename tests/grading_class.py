"""A class for the grading tests: learners, their hand-ins (honest, broken, tampered with), and
what each should score. Shared by the SQLite and PostgreSQL round trips."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from learners import answer_key, hand_in, wrong_answer

from course_lib.content import load_lesson
from course_lib.layout import ANSWERS_FILE, CourseLayout
from course_lib.publish.nbgrader import run_nbgrader
from course_lib.store import ResponseStore

LEARNERS = {  # id: (first name, last name)
    "ada": ("Ada", "Lovelace"),
    "blank": ("Bo", "Blank"),
    "part": ("Zoë", "Ñúñez-Ortiz"),
    "cheat": ("Sam", "Smith, Jr."),
    "shadow": ("Sid", "Shadow"),
    "meta": ("Mel", "Meta"),
    "gone": ("Gil", "Gone"),
    "broken": ("Bea", "Broken"),
    "other": ("Oto", "Other"),
    "linker": ("Lin", "Link"),
    "forger": ("Fay", "Forge"),
}
STAMP = "2026-11-20 10:15:00.000000 UTC"


@dataclass
class Class:
    layout: CourseLayout
    expected: dict[tuple[str, str], float] = field(default_factory=dict)  # (learner, lesson) -> points
    problems: dict[tuple[str, str], str] = field(default_factory=dict)  # (learner, lesson) -> a word of the problem


def write_answers(folder: Path, lesson: str, answers: dict, reflection: str | None = None) -> None:
    store = ResponseStore(folder / ANSWERS_FILE, lesson)
    for qid, value in answers.items():
        store.save(f"questions/{qid}", value)
    if reflection:
        rid = next(iter(load_lesson(folder).reflections))
        store.save(f"reflections/{rid}", reflection)


def quick_hand_in(layout: CourseLayout, learner: str, lesson: str, answers: dict, reflection: str | None = None,
                  folder_name: str | None = None) -> Path:
    """A hand-in made by writing the answers file the widgets write (faster than a kernel)."""
    folder = layout.submitted / learner / (folder_name or lesson)
    shutil.copytree(layout.release / lesson, folder)
    write_answers(folder, lesson, answers, reflection)
    (folder / "timestamp.txt").write_text(STAMP)
    return folder


def edit_notebook(path: Path, change) -> None:
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def make_class(layout: CourseLayout, all_lessons: bool = True) -> Class:
    """Learners on the roster, and their hand-ins; ``expected`` says what each must score."""
    for learner, (first, last) in LEARNERS.items():
        run_nbgrader(layout, "db", "student", "add", learner, f"--first-name={first}", f"--last-name={last}")
    c = Class(layout)
    lessons = layout.lesson_ids if all_lessons else layout.lesson_ids[:1]
    for lid in lessons:
        keys = answer_key(layout.lesson(lid))
        right = {q: k for q, (k, _p) in keys.items()}
        total = sum(p for _k, p in keys.values())
        # ada answers through the widgets in a real kernel, as a learner does
        folder = hand_in(layout.release / lid, layout.submitted, "ada", right, "Recess games matter to them.")
        (folder / "timestamp.txt").write_text(STAMP)
        c.expected[("ada", lid)] = total
        quick_hand_in(layout, "blank", lid, {})
        c.expected[("blank", lid)] = 0
    lid, content = lessons[0], load_lesson(layout.lesson(lessons[0]))
    keys = answer_key(layout.lesson(lid))
    right = {q: k for q, (k, _p) in keys.items()}
    first = next(iter(keys))
    multi = next(q for q in keys if content.questions[q].kind == "multiple" and len(keys[q][0]) >= 2)
    wrong = {q: wrong_answer(content.questions[q], k) for q, (k, _p) in keys.items()}
    part = wrong | {first: keys[first][0], multi: [keys[multi][0][0]]}
    part_points = keys[first][1] + keys[multi][1] / len(keys[multi][0])
    quick_hand_in(layout, "part", lid, part, "Zoë’s answer, with “quotes” and <b>markup</b>.\n" + "long " * 150)
    c.expected[("part", lid)] = part_points

    # cheat: wrong answers, and a cell before the graded ones that makes every grade full marks
    folder = quick_hand_in(layout, "cheat", lid, wrong)
    edit_notebook(folder / f"{lid}.ipynb", lambda nb: nb.cells.insert(3, nbformat.v4.new_code_cell(
        "from course_lib import lesson\nlesson.grade = lambda *a, **k: 100\nwhile True: pass")))
    c.expected[("cheat", lid)] = _points(content, keys, wrong)
    c.problems[("cheat", lid)] = "cell(s) added"

    # shadow: no answers at all, and files that would replace the course's code in the kernel
    folder = quick_hand_in(layout, "shadow", lid, {})
    (folder / ANSWERS_FILE).unlink(missing_ok=True)
    (folder / "course_lib.py").write_text("class lesson:\n    grade = staticmethod(lambda *a, **k: 100)\n")
    (folder / "sitecustomize.py").write_text("import builtins\n")
    (folder / "ipython_kernel_config.py").write_text("c = get_config()\n")
    (folder / "evil.pth").write_text("import os\n")
    c.expected[("shadow", lid)] = 0
    c.problems[("shadow", lid)] = "course_lib.py"

    # meta: a test cell's grade flag turned off (nbgrader would stop on "Inconsistent checksums")
    folder = quick_hand_in(layout, "meta", lid, right)
    edit_notebook(folder / f"{lid}.ipynb", lambda nb: next(
        cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")).metadata["nbgrader"].update(
        grade=False))
    c.expected[("meta", lid)] = sum(p for _k, p in keys.values())
    c.problems[("meta", lid)] = "edited"

    # gone: every test cell deleted
    folder = quick_hand_in(layout, "gone", lid, right)
    edit_notebook(folder / f"{lid}.ipynb", lambda nb: setattr(nb, "cells", [
        cell for cell in nb.cells if not cell.metadata.get("nbgrader", {}).get("grade")]))
    c.expected[("gone", lid)] = sum(p for _k, p in keys.values())
    c.problems[("gone", lid)] = "deleted"

    # broken: a damaged answers file; other: the answers file of another lesson
    folder = quick_hand_in(layout, "broken", lid, right)
    (folder / ANSWERS_FILE).write_text('{"format": 1, "lesson": ', encoding="utf-8")
    c.expected[("broken", lid)] = 0
    c.problems[("broken", lid)] = "damaged"
    folder = quick_hand_in(layout, "other", lid, right)
    data = json.loads((folder / ANSWERS_FILE).read_text(encoding="utf-8"))
    data["lesson"] = layout.lesson_ids[1]
    (folder / ANSWERS_FILE).write_text(json.dumps(data), encoding="utf-8")
    c.expected[("other", lid)] = 0
    c.problems[("other", lid)] = "another lesson"

    # linker: the answers file is a link to ada's
    folder = quick_hand_in(layout, "linker", lid, {})
    (folder / ANSWERS_FILE).unlink(missing_ok=True)
    (folder / ANSWERS_FILE).symlink_to(layout.submitted / "ada" / lid / ANSWERS_FILE)
    c.problems[("linker", lid)] = "link"

    # forger: wrong answers, and the lesson data edited so the wrong answers look right
    folder = quick_hand_in(layout, "forger", lid, wrong)
    _forge(folder / "lesson.yaml", wrong)
    c.expected[("forger", lid)] = _points(content, keys, wrong)
    c.problems[("forger", lid)] = "data file was edited"

    # folders a real class produces by mistake: a copy's name, and a mistyped learner
    quick_hand_in(layout, "part", lid, right, folder_name=f"{lid} (1)")
    c.problems[("part", lid)] = "looks like a copy of"
    quick_hand_in(layout, "adaa", lid, right)
    c.problems[("adaa", lid)] = "not in the class list"
    return c


def _points(content, keys, answers) -> float:
    total = 0.0
    for qid, value in answers.items():
        q = content.questions[qid]
        total += round(q.score(q.normalise(value)) * q.points, 2)
    return total


def _forge(data_file: Path, answers: dict) -> None:
    import yaml

    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    data["edition"] = "source"
    for qid, value in answers.items():
        q = data["questions"][qid]
        q["why"] = "Forged."
        for item in q.get("options") or ():
            item["correct"] = item["id"] in (value if isinstance(value, list) else [value])
        for item in q.get("items") or ():
            item["answer"] = value[item["id"]]
    data_file.write_text(yaml.safe_dump(data), encoding="utf-8")


def scores(layout: CourseLayout) -> dict[tuple[str, str], float]:
    from course_lib.instructor.gradebook import gradebook, points

    with gradebook(layout) as gb:
        return {(s.student.id, s.assignment.name): points(s)[0] for a in gb.assignments for s in a.submissions}


@contextmanager
def formgrader(layout: CourseLayout, log: Path):
    """nbgrader's Formgrader in a real Jupyter server started in ``grading/``, as an instructor
    starts it there; yields the server's base URL."""
    import subprocess
    import sys

    from conftest import free_port, stop
    from webtools import wait_for_http

    from course_lib.publish.nbgrader import nbgrader_env

    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "jupyter", "server", f"--port={port}", "--ip=127.0.0.1",
                                   "--IdentityProvider.token=", "--ServerApp.password=", "--no-browser",
                                   "--allow-root", f"--ServerApp.root_dir={layout.grading}"],
                                  cwd=layout.grading, env=nbgrader_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/formgrader/", server, log)
        yield url
    finally:
        stop(server)
