"""Hand-ins are untrusted input, like a form on the web: find them, name every problem, and make
a clean copy to grade.

What a learner hands in that counts is their *answers* (``my-answers.json``: choices and
reflections). Nothing else of theirs may reach the grading: a clean copy is made of every
hand-in (:func:`take_in`) with the release's own notebook, the answers file and nbgrader's
timestamp, so learner-added cells, edited or deleted cells, edited metadata, edited lesson data
and files that shadow the course's code (``course_lib.py``, ``sitecustomize.py``, IPython config)
are left behind. Each one is reported, and none can raise a score.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from ..layout import ANSWERS_FILE, COURSE_HOME, LESSON_FILE, CourseLayout
from ..store import MAX_BYTES

INTAKE = ".intake"  # grading/.intake/<learner>/<lesson>/: the clean copies nbgrader grades
TIMESTAMP = "timestamp.txt"
SECRET = "submission_secret.txt"  # nbgrader's submit writes it; release_feedback needs it to return feedback
# besides the lesson's notebook: what a lesson folder holds, and what nbgrader's submit adds
EXPECTED = {ANSWERS_FILE, TIMESTAMP, LESSON_FILE, "assets", SECRET}


@dataclass
class HandIn:
    """One learner's hand-in of one lesson, with every problem found in it."""

    learner: str
    lesson: str
    folder: Path
    problems: list[str] = field(default_factory=list)  # each names what happened and what to do
    suspicious: bool = False  # something in it tried, or looked like it tried, to change the grading
    gradable: bool = True
    handed_in: str = ""
    fingerprint: str = ""
    answers_problem: str = ""

    def note(self, text: str, suspicious: bool = False, gradable: bool = True) -> None:
        self.problems.append(text)
        self.suspicious |= suspicious
        self.gradable &= gradable


def find_handins(layout: CourseLayout, known_learners: set[str], add_learners: bool = False) -> list[HandIn]:
    """Every folder under ``submitted/``, as a hand-in to grade or a problem to report."""
    lessons = layout.lesson_ids
    found = []
    if not layout.submitted.is_dir():
        return found
    for learner_dir in sorted(p for p in layout.submitted.iterdir() if not p.name.startswith(".")):
        learner = learner_dir.name
        if learner_dir.is_symlink() or not learner_dir.is_dir():
            if learner_dir.name != "README.md":
                found.append(_refused(learner, "?", learner_dir, "is not a folder of lessons: move it out of "
                                      "submitted/ (each learner has a folder named with their id)"))
            continue
        for folder in sorted(p for p in learner_dir.iterdir() if not p.name.startswith(".")):
            lesson = folder.name
            if lesson == COURSE_HOME:
                continue  # the course pages: learners may hand them in; there is nothing to grade
            if lesson not in lessons:
                guess = get_close_matches(lesson.split(" ")[0], lessons, n=1, cutoff=0.6)
                hint = (f"did you mean {guess[0]}? Rename the folder to {guess[0]} and run autograde again"
                        if guess else "it is not one of the course's lessons; move it out of submitted/")
                found.append(_refused(learner, guess[0] if guess else lesson, folder,
                                      f"the folder '{lesson}' was not graded: {hint}"))
                continue
            handin = HandIn(learner, lesson, folder)
            if learner not in known_learners and not add_learners:
                guess = get_close_matches(learner, sorted(known_learners), n=1, cutoff=0.6)
                handin.note(f"'{learner}' is not in the class list, so it was not graded: "
                            + (f"if this is {guess[0]}'s work, rename the folder to {guess[0]}; " if guess else "")
                            + f"to add the learner, run: nbgrader db student add {learner} --first-name=... "
                              "--last-name=... (in grading/), then autograde again", gradable=False)
            check(layout, handin)
            found.append(handin)
    return found


def _refused(learner: str, lesson: str, folder: Path, problem: str) -> HandIn:
    return HandIn(learner, lesson, folder, problems=[problem], gradable=False)


def check(layout: CourseLayout, handin: HandIn) -> None:
    """Look at a hand-in without trusting any of it; record what is wrong and how it will be graded."""
    folder, release = handin.folder, layout.release / handin.lesson
    if folder.is_symlink() or not folder.is_dir():
        handin.note("the lesson is a link, not a folder: not graded; ask the learner to hand it in again",
                    suspicious=True, gradable=False)
        return
    answers = folder / ANSWERS_FILE
    if answers.is_symlink():
        handin.note(f"{ANSWERS_FILE} is a link to another file, not the learner's own answers: not graded",
                    suspicious=True, gradable=False)
        return
    if not answers.exists():
        handin.note(f"no {ANSWERS_FILE}: the learner saved no answers, or handed in only the notebook; graded "
                    "as blank. Ask them to press Save on each answer and hand in the whole lesson folder")
    else:
        handin.answers_problem = _answers_problem(answers, handin.lesson)
        if handin.answers_problem:
            handin.note(handin.answers_problem + "; graded as blank. Ask the learner to open the lesson again "
                        "(their answers there are shown if they still have them) and hand it in again")
    extra = sorted(p.name for p in folder.iterdir()  # the release's own files (the lesson in Spanish) belong
                   if p.name not in EXPECTED and not (release / p.name).is_file()
                   and not p.name.startswith((".ipynb_checkpoints", "my-answers.damaged-", ".my-answers")))
    if extra:
        shown = ", ".join(extra[:6]) + (f" and {len(extra) - 6} more" if len(extra) > 6 else "")
        risky = [n for n in extra if n.endswith((".py", ".pth", ".pyc")) or "config" in n or n == "__pycache__"]
        handin.note(f"files that are not part of the lesson were left out of the grading: {shown}",
                    suspicious=bool(risky))
    notebook = folder / f"{handin.lesson}.ipynb"
    if notebook.is_file() and (changed := _changed_cells(notebook, release / notebook.name)):
        handin.note(f"the notebook was changed ({changed}); it is not graded: only the saved answers are",
                    suspicious="added" in changed or "test" in changed)
    data, theirs = folder / LESSON_FILE, release / LESSON_FILE
    if data.is_file() and theirs.is_file() and data.read_bytes() != theirs.read_bytes():
        handin.note("the lesson's data file was edited; the course's own is used for grading", suspicious=True)
    stamp = folder / TIMESTAMP
    if stamp.is_file() and not stamp.is_symlink():
        handin.handed_in = _timestamp(stamp)
        if not handin.handed_in:
            handin.note(f"{TIMESTAMP} could not be read as a time; the hand-in is graded without one")
    handin.fingerprint = _fingerprint(layout, handin)


def _answers_problem(path: Path, lesson: str) -> str:
    if path.stat().st_size > MAX_BYTES:
        return f"{ANSWERS_FILE} is too large to be an answers file"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return f"{ANSWERS_FILE} is damaged and could not be read"
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return f"{ANSWERS_FILE} is damaged and could not be read"
    if data.get("lesson") != lesson:
        return f"{ANSWERS_FILE} belongs to another lesson ({str(data.get('lesson'))[:40]!r}), not to {lesson}"
    return ""


def _changed_cells(notebook: Path, release: Path) -> str:
    """How a handed-in notebook differs from the release, in a few words ("" if it does not)."""
    if not release.is_file():
        return ""
    try:
        mine = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        theirs = json.loads(release.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return "it could not be read"
    def cells(nb) -> dict:
        return {c.get("id") or str(i): ("".join(c.get("source", "")), json.dumps(c.get("metadata", {}).get("nbgrader"),
                                                                                sort_keys=True))
                for i, c in enumerate(nb) if isinstance(c, dict)}
    a, b = cells(mine), cells(theirs)
    parts = []
    if added := len(set(a) - set(b)):
        parts.append(f"{added} cell(s) added")
    if removed := len(set(b) - set(a)):
        parts.append(f"{removed} cell(s) deleted")
    edited = [k for k in set(a) & set(b) if a[k] != b[k]]
    if edited:
        tests = sum(k.startswith("test-") for k in edited)
        parts.append(f"{len(edited)} cell(s) edited" + (f", {tests} of them test cells" if tests else ""))
    return ", ".join(parts)


def _timestamp(path: Path) -> str:
    from nbgrader.utils import parse_utc

    text = path.read_text(encoding="utf-8", errors="replace").strip()[:64]
    try:
        parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return ""
    return text


def _fingerprint(layout: CourseLayout, handin: HandIn) -> str:
    """What the grade depends on: the answers, the hand-in time, and the course's own lesson."""
    h = hashlib.sha256()
    for path in (handin.folder / ANSWERS_FILE, layout.source / handin.lesson / LESSON_FILE,
                 layout.release / handin.lesson / f"{handin.lesson}.ipynb"):
        h.update(path.read_bytes() if path.is_file() and not path.is_symlink() else b"-")
    h.update(handin.handed_in.encode())
    return h.hexdigest()


def take_in(layout: CourseLayout, handin: HandIn) -> Path:
    """The clean copy nbgrader grades: the release's notebook, the answers file, the timestamp."""
    dest = layout.grading / INTAKE / handin.learner / handin.lesson
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copyfile(layout.release / handin.lesson / f"{handin.lesson}.ipynb", dest / f"{handin.lesson}.ipynb")
    answers = handin.folder / ANSWERS_FILE
    if answers.is_file() and not answers.is_symlink() and answers.stat().st_size <= MAX_BYTES:
        shutil.copyfile(answers, dest / ANSWERS_FILE)  # read by lesson.grade, which trusts none of it
    if handin.handed_in:
        (dest / TIMESTAMP).write_text(handin.handed_in, encoding="utf-8")
    secret = handin.folder / SECRET
    if secret.is_file() and not secret.is_symlink() and secret.stat().st_size < 200:
        shutil.copyfile(secret, dest / SECRET)  # routes the feedback page back; it counts for nothing
    return dest
