"""Checks on the course's own files, used by ``course check`` and by the test suite.

* :func:`check_lessons`: every lesson's data loads, and every hidden test's answer key fits its
  question and carries the same points as its nbgrader cell.
* :func:`check_release`: nothing an instructor keeps back reached the student release.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from .answers import check_key
from .content import LESSON_FILE, LessonError, load_lesson

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
# ### BEGIN SOLUTION / ### BEGIN HIDDEN TESTS in code; === BEGIN MARK SCHEME === (a rubric) in tasks
_REGION = re.compile(r"(?:###|===) BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)[ =]*\n(.*?)(?:###|===) END \1", re.S)


def lesson_folders(notebooks: Path) -> list[Path]:
    """Lesson folders in course order (their names start with a number)."""
    return sorted(p for p in notebooks.iterdir() if p.is_dir() and (p / LESSON_FILE).exists() and p.name[:1].isdigit())


def lesson_notebook(folder: Path) -> Path:
    return folder / f"{folder.name}.ipynb"


def kept_back(notebook: Path) -> list[str]:
    """The solution, hidden-test and mark-scheme regions of an instructor notebook, one per region."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [m.group(2) for c in cells for m in _REGION.finditer(cell_source(c))]


def grade_calls(notebook: Path) -> list[tuple[dict, dict]]:
    """``(call keyword arguments, cell nbgrader metadata)`` for each ``lesson.grade(...)`` call."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        src = cell_source(cell)
        if "lesson.grade(" not in src:
            continue
        for node in ast.walk(ast.parse(src.replace("### BEGIN HIDDEN TESTS", "").replace("### END HIDDEN TESTS", ""))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "grade":
                kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                if node.args:
                    kwargs["question_id"] = ast.literal_eval(node.args[0])
                found.append((kwargs, cell.get("metadata", {}).get("nbgrader", {})))
    return found


def check_lessons(notebooks: Path) -> list[str]:
    problems = []
    for folder in lesson_folders(notebooks):
        try:
            lesson = load_lesson(folder)
        except LessonError as exc:
            problems.append(str(exc))
            continue
        if lesson.id != folder.name:
            problems.append(f"{folder.name}: lesson.yaml says id {lesson.id!r}; it must match the folder name")
        nb = lesson_notebook(folder)
        if not nb.exists():
            problems.append(f"{folder.name}: missing notebook {nb.name}")
            continue
        graded = set()
        for kwargs, meta in grade_calls(nb):
            qid = kwargs.get("question_id")
            if qid not in lesson.questions:
                problems.append(f"{nb.name}: lesson.grade names unknown question {qid!r}")
                continue
            graded.add(qid)
            try:
                check_key(lesson.questions[qid], kwargs.get("answer"))
            except ValueError as exc:
                problems.append(f"{nb.name}: {exc}")
            if not meta.get("grade") or float(meta.get("points", -1)) != float(kwargs.get("points", 1)):
                problems.append(f"{nb.name}: the test cell for {qid!r} must be an nbgrader autograder test "
                                f"cell whose points equal points={kwargs.get('points', 1)}")
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("task") and "BEGIN MARK SCHEME" not in cell_source(cell):
                problems.append(f"{nb.name}: the task {meta.get('grade_id')!r} needs its rubric inside "
                                "=== BEGIN MARK SCHEME === / === END MARK SCHEME === so graders see it and "
                                "learners do not")
        if missing := sorted(set(lesson.questions) - graded):
            problems.append(f"{nb.name}: graded questions with no hidden test: {missing}")
    return problems


def check_release(notebooks: Path, release: Path) -> list[str]:
    """Find solutions, hidden tests, answer keys or learners' answers in the release."""
    problems = []
    if not release.is_dir():
        return [f"there is no release at {release}"]
    secrets, public = set(), []
    for folder in lesson_folders(notebooks):
        nb = lesson_notebook(folder)
        for region in kept_back(nb):
            secrets |= {ln.strip() for ln in region.splitlines() if len(ln.strip()) >= 8}
        public += [_REGION.sub("", cell_source(c)) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]]
        public.append((folder / LESSON_FILE).read_text(encoding="utf-8"))
    # A line of a rubric or key that the lesson also says openly ("the team.") gives nothing away.
    public_text = "\n".join(public)
    secrets = sorted(s for s in secrets if s not in public_text)
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = path.relative_to(release)
        if path.name.startswith("my-answers"):
            problems.append(f"{rel}: a learner's answers file is in the release")
            continue
        text = _readable_text(path)
        for marker in MARKERS:
            if marker in text:
                problems.append(f"{rel}: contains the nbgrader marker {marker!r}")
        if "lesson.grade(" in text:
            problems.append(f"{rel}: contains a grading call (an answer key)")
        problems += [f"{rel}: contains a line kept back from learners: {s[:60]!r}" for s in secrets if s in text]
        if path.name == LESSON_FILE:
            try:
                load_lesson(path.parent)  # refuses graded questions that carry answers
            except LessonError as exc:
                problems.append(f"{rel}: {exc}")
    return problems


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _readable_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return raw
    try:
        nb = json.loads(raw)
    except ValueError:
        return raw
    parts = [raw]
    for cell in nb.get("cells", []):
        parts.append(cell_source(cell))
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out, ensure_ascii=False))
            parts.append("".join(out.get("text", "")))
    return "\n".join(parts)
