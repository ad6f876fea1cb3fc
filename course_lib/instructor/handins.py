"""Hand-ins are untrusted input, like a form on the web: find them, name every problem, and make
a clean copy to grade.

What a learner hands in that counts is their *answers* (``my-answers.json``: choices and
reflections). Nothing else of theirs may reach the grading: the clean intake (:mod:`.intake`)
grades the release's own notebook with the answers file, so learner-added cells, edited or
deleted cells, edited metadata, edited lesson data and files that shadow the course's code
(``course_lib.py``, ``sitecustomize.py``, IPython config) are left behind. Each one is reported
here, and none can raise a score.

Nothing in a hand-in is opened unless it is a regular file, and none is read past a size cap: a
pipe saved as ``my-answers.json`` or a 100 MB notebook cannot stall or swell the run. A folder
named like a copy (``01-what-is-ot (1)``) is a hand-in of its own (reported, never graded), so it
cannot take the place of the real one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shlex
import shutil
import stat
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from ..layout import ANSWERS_FILE, COURSE_HOME, LESSON_FILE, CourseLayout
from ..questions import MAX_REFLECTION_CHARS, Reflection
from ..store import ENTRY_FIELDS, FILE_FIELDS, MAX_BYTES
from .intake import KEPT, SECRET, TIMESTAMP, copy_kept, read_regular
from .roster import id_problem

INTAKE = ".intake"  # grading/.intake/<learner>/<lesson>/: the clean copies course autograde hands nbgrader
EXPECTED = {*KEPT, LESSON_FILE, "assets"}  # besides the lesson's notebook: a lesson folder and nbgrader's submit
MAX_NOTEBOOK = 20_000_000  # a lesson saved with every output is well under 2 MB; a bigger one is not compared
MAX_ENTRIES = 500  # files looked at in one hand-in
_CONTROL = re.compile("[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str, most: int = 80) -> str:
    """Text from a hand-in or a class list, safe on one line of output or in one CSV cell: control
    and direction characters (a newline, a right-to-left override) shown as escapes, and
    shortened to ``most`` characters (0: not shortened)."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)
    return text if not most or len(text) <= most else text[:most - 3] + "..."


@dataclass
class HandIn:
    """One learner's hand-in of one lesson folder, with every problem found in it."""

    learner: str
    lesson: str  # the course's lesson it is (or seems to be) a hand-in of
    folder: Path
    problems: list[str] = field(default_factory=list)  # each names what happened and what to do
    suspicious: bool = False  # something in it tried, or looked like it tried, to change the grading
    gradable: bool = True
    handed_in: str = ""
    fingerprint: str = ""
    answers_problem: str = ""

    @property
    def key(self) -> str:
        """Its place in the record: the folder's own name, so a stray copy never stands for the lesson."""
        return f"{self.learner}/{self.folder.name}"

    @property
    def is_copy(self) -> bool:
        return self.folder.name != self.lesson

    def note(self, text: str, suspicious: bool = False, gradable: bool = True) -> None:
        self.problems.append(text)
        self.suspicious |= suspicious
        self.gradable &= gradable


def _entries(folder: Path) -> list[os.DirEntry]:
    entries = []
    with os.scandir(folder) as it:
        for entry in it:
            entries.append(entry)
            if len(entries) >= MAX_ENTRIES:
                break
    return sorted(entries, key=lambda e: e.name)


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def find_handins(layout: CourseLayout, known_learners: set[str]) -> list[HandIn]:
    """Every folder under ``submitted/``, as a hand-in to grade or a problem to report. A learner is
    who the class list says: a folder's name alone never adds one."""
    lessons = layout.lesson_ids
    found = []
    if not layout.submitted.is_dir():
        return found
    for learner_dir in _entries(layout.submitted):
        learner = learner_dir.name
        if learner.startswith(".") or learner == "README.md":
            continue
        shown = one_line(learner)
        if not _is_dir(Path(learner_dir.path)):
            found.append(_refused(learner, "?", Path(learner_dir.path), f"'{shown}' is not a folder of lessons: move "
                                  "it out of submitted/ (each learner has a folder named with their id)"))
            continue
        if why := id_problem(learner):
            found.append(_refused(learner, "?", Path(learner_dir.path), f"the folder '{shown}' was not graded: its "
                                  f"name is not an id the course accepts ({why}). Ask the learner to hand in "
                                  "through nbgrader, or rename the folder to their id in the class list",
                                  suspicious=True))
            continue
        for entry in _entries(Path(learner_dir.path)):
            folder, lesson = Path(entry.path), entry.name
            if lesson.startswith(".") or lesson == COURSE_HOME:
                continue  # the course pages: learners may hand them in; there is nothing to grade
            if lesson not in lessons:
                guess = get_close_matches(lesson.split(" ")[0], lessons, n=1, cutoff=0.6)
                hint = (f"it looks like a copy of {guess[0]}, which is graded from its own folder; move this one "
                        f"out of submitted/ (or, if it is the newer hand-in, put it in place of {guess[0]})"
                        if guess else "it is not one of the course's lessons; move it out of submitted/")
                found.append(_refused(learner, guess[0] if guess else lesson, folder,
                                      f"the folder '{one_line(lesson)}' was not graded: {hint}"))
                continue
            handin = HandIn(learner, lesson, folder)
            if learner not in known_learners:
                handin.note(f"'{learner}' is not in the class list, so it was not graded: if they left the class, "
                            "move the folder out of submitted/; if they are new, add them (course roster import "
                            f"FILE, or: nbgrader db student add {shlex.quote(learner)} --first-name=... "
                            "--last-name=...) and autograde again", gradable=False)
            check(layout, handin)
            found.append(handin)
    return found


def _refused(learner: str, lesson: str, folder: Path, problem: str, suspicious: bool = False) -> HandIn:
    return HandIn(learner, lesson, folder, problems=[problem], gradable=False, suspicious=suspicious)


def _kind(path: Path) -> str:
    """"" for a regular file or a missing one, else what it is instead ("a link", "a pipe"...)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISREG(mode):
        return ""
    return ("a link to another file" if stat.S_ISLNK(mode) else "a folder" if stat.S_ISDIR(mode)
            else "a pipe" if stat.S_ISFIFO(mode) else "a special file")


def check(layout: CourseLayout, handin: HandIn) -> None:
    """Look at a hand-in without trusting any of it; record what is wrong and how it will be graded."""
    folder, release = handin.folder, layout.release / handin.lesson
    if not _is_dir(folder):
        handin.note("the lesson is a link, not a folder: not graded; ask the learner to hand it in again",
                    suspicious=True, gradable=False)
        return
    answers = folder / ANSWERS_FILE
    if kind := _kind(answers):
        handin.note(f"{ANSWERS_FILE} is {kind}, not the learner's own answers file: not graded; ask them to hand "
                    "in the lesson folder again", suspicious=True, gradable=False)
        return
    if not answers.exists():
        handin.note(f"no {ANSWERS_FILE}: the learner saved no answers, or handed in only the notebook; graded "
                    "as blank. Ask them to press Save on each answer and hand in the whole lesson folder")
    else:
        _check_answers(handin, answers)
    # the release's own files (the lesson in Spanish too) belong to the lesson
    _check_files(handin, [e.name for e in _entries(folder) if not (release / e.name).is_file()])
    notebook = folder / f"{handin.lesson}.ipynb"
    if kind := _kind(notebook):
        handin.note(f"the notebook is {kind}; it is not graded anyway: only the saved answers are", suspicious=True)
    elif (data := read_regular(notebook, MAX_NOTEBOOK)) is None and notebook.exists():
        handin.note(f"the notebook is larger than {MAX_NOTEBOOK // 1_000_000} MB, so it was not looked at; it is "
                    "not graded anyway: only the saved answers are")
    elif notebook.exists() and (changed := _changed_cells(data, release / notebook.name)):
        handin.note(f"the notebook was changed ({changed}); it is not graded: only the saved answers are",
                    suspicious="added" in changed or "test" in changed)
    data, theirs = read_regular(folder / LESSON_FILE, MAX_BYTES), release / LESSON_FILE
    if data is not None and theirs.is_file() and data != theirs.read_bytes():
        handin.note("the lesson's data file was edited; the course's own is used for grading", suspicious=True)
    stamp = read_regular(folder / TIMESTAMP, KEPT[TIMESTAMP])
    if stamp is not None:
        handin.handed_in = _timestamp(stamp)
        if not handin.handed_in:
            handin.note(f"{TIMESTAMP} could not be read as a time; the hand-in is graded without one")
    handin.fingerprint = _fingerprint(layout, handin)


def _check_answers(handin: HandIn, path: Path) -> None:
    handin.answers_problem = _answers_problem(path, handin.lesson)
    if handin.answers_problem:
        handin.note(handin.answers_problem + "; graded as blank. Ask the learner to open the lesson again "
                    "(their answers there are shown if they still have them) and hand it in again")
        return
    data = json.loads(read_regular(path, MAX_BYTES))
    forged = sorted(set(data) - FILE_FIELDS | {k for v in data["answers"].values() if isinstance(v, dict)
                                                  for k in set(v) - ENTRY_FIELDS})
    if forged:
        handin.note(f"{ANSWERS_FILE} holds fields the course never writes ({one_line(', '.join(forged))}): they "
                    "were ignored, and only the answers graded", suspicious=True)
    long = [k for k, v in data["answers"].items() if Reflection.is_store_key(k) and isinstance(v, dict)
            and isinstance(v.get("value"), str) and len(v["value"].strip()) > MAX_REFLECTION_CHARS]
    if long:
        handin.note(f"the reflection saved is longer than the {MAX_REFLECTION_CHARS:,} characters its box takes, so "
                    "the file was edited outside the lesson; the grader sees its first "
                    f"{MAX_REFLECTION_CHARS:,} characters", suspicious=True)


def _check_files(handin: HandIn, names: list[str]) -> None:
    extra = [n for n in names if n not in EXPECTED and n != f"{handin.lesson}.ipynb"
             and not n.startswith((".ipynb_checkpoints", "my-answers.damaged-", ".my-answers"))]
    if not extra:
        return
    shown = ", ".join(one_line(n, 40) for n in extra[:6]) + (f" and {len(extra) - 6} more" if len(extra) > 6 else "")
    handin.note(f"files that are not part of the lesson were left out of the grading: {shown}",
                suspicious=any(_code_like(handin.folder / n) for n in extra))


def _code_like(path: Path, depth: int = 2) -> bool:
    """Could Python or IPython load it as code or configuration (a module, a package, a .pth file)?"""
    name = path.name
    if name.endswith((".py", ".pth", ".pyc", ".so")) or "config" in name or name in ("__pycache__", "course_lib"):
        return True
    if depth and _is_dir(path):
        try:
            return any(_code_like(Path(e.path), depth - 1) for e in _entries(path))
        except OSError:
            return False
    return False


def _answers_problem(path: Path, lesson: str) -> str:
    raw = read_regular(path, MAX_BYTES)
    if raw is None:
        return f"{ANSWERS_FILE} is too large to be an answers file"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return f"{ANSWERS_FILE} is damaged and could not be read"
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        return f"{ANSWERS_FILE} is damaged and could not be read"
    if data.get("lesson") != lesson:
        return f"{ANSWERS_FILE} belongs to another lesson ({one_line(str(data.get('lesson')), 40)!r}), not to {lesson}"
    return ""


def _changed_cells(data: bytes, release: Path) -> str:
    """How a handed-in notebook differs from the release, in a few words ("" if it does not)."""
    if not release.is_file():
        return ""
    try:
        a = _cells(json.loads(data)["cells"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return "it could not be read"
    b = _release_cells(release, release.stat().st_mtime_ns)
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


def _cells(cells: list) -> dict:
    return {c.get("id") or str(i): ("".join(c.get("source", "")), json.dumps(c.get("metadata", {}).get("nbgrader"),
                                                                            sort_keys=True))
            for i, c in enumerate(cells) if isinstance(c, dict)}


@functools.lru_cache(maxsize=32)
def _release_cells(path: Path, _changed: int) -> dict:
    """The release's cells, read once per lesson for a whole class."""
    return _cells(json.loads(path.read_text(encoding="utf-8"))["cells"])


def _timestamp(raw: bytes) -> str:
    from nbgrader.utils import parse_utc

    text = raw.decode("utf-8", errors="replace").strip()[:64]
    try:
        parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return ""
    return text


def _fingerprint(layout: CourseLayout, handin: HandIn) -> str:
    """What the grade depends on: the answers, the hand-in time, and the course's own lesson."""
    h = hashlib.sha256()
    h.update(read_regular(handin.folder / ANSWERS_FILE, MAX_BYTES) or b"-")
    lesson = handin.lesson
    for path in (layout.source / lesson / LESSON_FILE, layout.release / lesson / f"{lesson}.ipynb"):
        h.update(path.read_bytes() if path.is_file() else b"-")
    h.update(handin.handed_in.encode())
    return h.hexdigest()


def take_in(layout: CourseLayout, handin: HandIn) -> Path:
    """The folder ``course autograde`` gives nbgrader: the release's notebook and the files of the
    hand-in that count, nothing else (nbgrader, run with the clean intake, never reads the
    learner's own notebook, and copies every other file of the folder it grades from)."""
    dest = layout.grading / INTAKE / handin.learner / handin.lesson
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copyfile(layout.release / handin.lesson / f"{handin.lesson}.ipynb", dest / f"{handin.lesson}.ipynb")
    copy_kept(handin.folder, dest)
    if not handin.handed_in:
        (dest / TIMESTAMP).unlink(missing_ok=True)  # one nbgrader could not read would stop it
    return dest


__all__ = ["INTAKE", "SECRET", "TIMESTAMP", "HandIn", "check", "find_handins", "one_line", "take_in"]
