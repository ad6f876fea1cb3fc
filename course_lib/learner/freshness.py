"""Make the student release again only when something it is made from has changed.

``course start`` needs the release, and making it runs nbgrader once per lesson: half a minute
or more on a small computer, every time a learner starts the course. So ``course start``
remembers a digest of everything the release is made from (every file of the course folder
except what is generated or private: ``.git``, ``.venv``, ``workspace/``, ``grading/`` but its
``nbgrader_config.py``), with the nbgrader version, and skips the release while that digest
and the release itself are unchanged. Counting too many files as inputs only costs a release;
counting too few would give a learner an old lesson, so the rule is "all but".
"""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path

from ..files import atomic_write

STAMP = "release-inputs.sha256"
NOT_INPUTS = {".git", ".venv", "workspace", "grading", "build", "node_modules", "__pycache__", ".pytest_cache",
              ".ruff_cache", ".ipynb_checkpoints"}


def inputs_digest(root: Path) -> str:
    digest = hashlib.sha256(f"nbgrader {version('nbgrader')}\n".encode())
    files = [root / "grading" / "nbgrader_config.py"]
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in NOT_INPUTS and not d.endswith(".egg-info"))
        files += [Path(folder, n) for n in sorted(names) if not n.startswith("my-answers")]
    for path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-")
    return digest.hexdigest()


def release_is_current(course, state: Path, inputs: str) -> bool:
    """Whether ``course``'s release is complete and was made by ``course start`` from ``inputs``."""
    try:
        remembered = (state / STAMP).read_text(encoding="ascii").strip()
    except OSError:
        return False
    return remembered == inputs and (course.release / "index.ipynb").is_file() and all(
        (course.release / lesson / f"{lesson}.ipynb").is_file() for lesson in course.lessons)


def remember_release(state: Path, inputs: str) -> None:
    """Record the digest taken *before* the release was made, so a change made meanwhile is not lost."""
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write(state / STAMP, inputs)
