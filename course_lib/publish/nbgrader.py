"""Call nbgrader as an instructor would: its own command, run in the course's ``grading/`` folder.

This Python's ``bin`` goes first on PATH because nbgrader shells out to ``alembic``.
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
