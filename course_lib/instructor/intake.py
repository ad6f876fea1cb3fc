"""The clean intake, inside nbgrader: every door that autogrades a hand-in grades a clean copy.

A hand-in's notebook runs in a kernel at autograde, so a cell a learner added runs as the
instructor, and a file beside it (``course_lib.py``) is imported instead of the course's. What a
learner hands in that counts is their saved answers, so whatever autogrades a hand-in
(``nbgrader autograde``, Formgrader's Autograde button, nbgrader's API, ``course autograde``)
grades a copy made of:

* the release's own notebook, never the learner's (which is not even opened: a 100 MB or
  damaged notebook, or a pipe named like one, changes nothing);
* the course's files nbgrader copies from ``source/`` (the lesson data with its keys);
* :data:`KEPT`, the few files of the hand-in that count or route the feedback, each read only
  if it is a regular file within its size cap (not a link, a pipe or a device).

Everything else nbgrader copied from the hand-in is removed before the kernel starts there, and
the kernel does not put its folder on ``sys.path`` (``PYTHONSAFEPATH``). This is nbgrader's own
extension point, ``c.Autograde.exporter_class`` in ``grading/nbgrader_config.py``, so the
course's command and Formgrader grade the same way. :func:`unclean` checks a graded result
after the fact, so a grade made without the intake (a configuration without it) is noticed.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
from pathlib import Path

from nbconvert.exporters import NotebookExporter

from ..layout import ANSWERS_FILE, CourseLayout
from ..store import MAX_BYTES

TIMESTAMP = "timestamp.txt"  # nbgrader's submit writes it: when the lesson was handed in
SECRET = "submission_secret.txt"  # nbgrader's submit writes it; release_feedback needs it to return feedback
KEPT = {ANSWERS_FILE: MAX_BYTES, TIMESTAMP: 200, SECRET: 200}  # file -> most bytes read


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link, a pipe or a device) of at most
    ``limit`` bytes; else None. Never blocks: a pipe is refused before it is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = f.read(limit + 1)
    return data if len(data) <= limit else None


def copy_kept(hand_in: Path, dest: Path) -> list[str]:
    """Copy the files of a hand-in that count (:data:`KEPT`) to ``dest``, replacing whatever is
    there; return the names copied."""
    copied = []
    for name, limit in KEPT.items():
        target = dest / name
        if target.is_symlink() or target.exists():
            target.unlink()
        data = read_regular(hand_in / name, limit)
        if data is not None:
            target.write_bytes(data)
            copied.append(name)
    return copied


def prune(folder: Path, keep: set[str]) -> list[str]:
    """Remove from ``folder`` every file whose relative path is not in ``keep`` (and folders left
    empty); return what was removed."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            if os.path.relpath(path, folder) not in keep:
                os.unlink(path)
                removed.append(os.path.relpath(path, folder))
        if dirpath != str(folder) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed


def course_files(source: Path, ignore: list[str]) -> set[str]:
    """The files nbgrader copies from the lesson's ``source/`` folder into every graded copy."""
    from nbgrader.utils import find_all_files

    return {os.path.relpath(p, source) for p in find_all_files(str(source), [*ignore, "*.ipynb"])}


@contextlib.contextmanager
def _safe_path():
    """Kernels started inside do not put their working folder on ``sys.path`` (Python 3.11+)."""
    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = before


class CleanIntake(NotebookExporter):
    """nbgrader's autograde exporter (``c.Autograde.exporter_class``) with the clean intake.

    nbgrader's autograde converts each notebook twice with it: first the hand-in's notebook
    (sanitizing: here the release's notebook is taken instead, and the graded folder is cleaned),
    then the sanitized copy in ``autograded/`` (executing: in a kernel that sees only that copy).
    """

    def from_filename(self, filename, resources=None, **kw):
        coursedir = self.parent.coursedir
        info = resources["nbgrader"]
        graded = Path(coursedir.format_path(coursedir.autograded_directory, info["student"], info["assignment"]))
        if Path(filename).parent.resolve() == graded.resolve():  # executing the clean copy
            with _safe_path():
                return super().from_filename(filename, resources, **kw)
        import nbformat

        release = Path(coursedir.format_path(coursedir.release_directory, ".", info["assignment"]))
        notebook = release / f"{info['notebook']}.ipynb"
        if not notebook.is_file():
            raise FileNotFoundError(f"{notebook} is missing: release the lesson first (course release); a hand-in "
                                    "is graded from the release's own notebook")
        source = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        keep = course_files(source, coursedir.ignore)
        graded.mkdir(parents=True, exist_ok=True)
        prune(graded, keep | set(KEPT))
        copy_kept(Path(filename).parent, graded)
        resources.setdefault("metadata", {}).update(name=info["notebook"], path=str(graded))
        nb = nbformat.read(notebook, as_version=4)
        return self.from_notebook_node(nb, resources, **kw)


def unclean(layout: CourseLayout, learner: str, lesson: str) -> str:
    """Why the graded copy of a hand-in cannot be trusted ("" if it can): it was not run to the end,
    or did not come from the clean intake: it holds a file the intake never keeps, answers other
    than the hand-in's, or a cell that is not the course's (a door without the intake grades the
    learner's own notebook, beside their own files). The result is checked, not a mark the intake
    leaves: a learner could forge a mark."""
    graded = layout.autograded / learner / lesson
    notebook = graded / f"{lesson}.ipynb"
    data = read_regular(notebook, 50_000_000)
    if data is None:
        return "its graded notebook is missing"
    allowed = course_files(layout.source / lesson, []) | set(KEPT) | {notebook.name}
    extra = sorted(p for p in (os.path.relpath(os.path.join(d, f), graded) for d, _dirs, files in os.walk(graded)
                               for f in files) if p not in allowed)
    if extra:
        return f"the learner's own files were beside it when it ran ({', '.join(extra[:3])})"
    answers = (graded / ANSWERS_FILE, layout.submitted / learner / lesson / ANSWERS_FILE)
    if read_regular(answers[0], MAX_BYTES) != read_regular(answers[1], MAX_BYTES):
        return f"the answers it graded are not the hand-in's {ANSWERS_FILE} (changed since, or a link followed)"
    try:
        nb = json.loads(data)
        cells = _cells(nb)
        run = all(c.get("execution_count") is not None for c in nb["cells"]
                  if c.get("cell_type") == "code" and (c.get("metadata", {}).get("nbgrader") or {}).get("grade"))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return "its graded notebook could not be read"
    if not run:
        return "its graded notebook was not run to the end (the grading was stopped part way)"
    source = layout.source / lesson / notebook.name
    if cells != _course_cells(source, source.stat().st_mtime_ns if source.is_file() else 0):
        return "the notebook graded was not the course's own (cells were added, changed or removed)"
    return ""


def _cells(nb: dict) -> list[tuple]:
    return [(c.get("id"), c.get("cell_type"), "".join(c["source"]) if isinstance(c.get("source"), list)
             else str(c.get("source"))) for c in nb["cells"]]


@functools.lru_cache(maxsize=32)
def _course_cells(path: Path, _changed: int) -> list[tuple]:
    return _cells(json.loads(path.read_text(encoding="utf-8"))) if _changed else []
