"""Call nbgrader as an instructor would: its own command in the course's ``grading/`` folder, or its
own API in this process (:func:`nbgrader_api`), with the course's ``grading/nbgrader_config.py``.

The API is what Formgrader's buttons call; one process that loads nbgrader once and then makes
every lesson takes seconds where a command per lesson took minutes (each ``python -m nbgrader``
pays nbgrader's start-up again). This Python's ``bin`` goes first on PATH because nbgrader shells
out to ``alembic``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..layout import CourseLayout


class NbgraderError(RuntimeError):
    """nbgrader failed; the message holds what it printed."""


def nbgrader_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(layout: CourseLayout, *args: str, timeout: float | None = None) -> str:
    try:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=layout.grading, env=nbgrader_env(),
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise NbgraderError(f"nbgrader {' '.join(args)} took longer than {timeout:g} s and was stopped") from exc
    if proc.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout + proc.stderr


def course_config(grading: Path, **course_directory):
    """nbgrader's configuration for the course, as its commands read it from ``grading/``, with
    ``CourseDirectory`` settings on top (the autograde workers grade from another folder)."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(grading)).load_config()
    config.CourseDirectory.root = str(grading)
    for name, value in course_directory.items():
        setattr(config.CourseDirectory, name, value)
    return config


def nbgrader_api(layout: CourseLayout, config=None):
    """nbgrader's own API (``NbGraderAPI``, what Formgrader calls) for this course, in this process,
    with the course's configuration (or ``config``, :func:`course_config` with changes)."""
    os.environ["PATH"] = nbgrader_env()["PATH"]
    from nbgrader.apps.api import NbGraderAPI

    return NbGraderAPI(config=config or course_config(layout.grading))


def api_call(name: str, result: dict) -> None:
    """Raise :class:`NbgraderError` with nbgrader's own words if an API call failed."""
    if not result.get("success"):
        raise NbgraderError(f"nbgrader {name} failed:\n{result.get('log', '')}{result.get('error', '')}")
