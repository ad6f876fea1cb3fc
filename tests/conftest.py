"""Shared fixtures. Tests are named for what a learner, an instructor or a visitor would notice."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VENV_BIN = str(Path(sys.executable).parent)


@pytest.fixture
def sample(tmp_path) -> Path:
    """A copy of the tiny sample lesson in a fresh folder (so saved answers start empty)."""
    folder = tmp_path / "99-sample"
    shutil.copytree(FIXTURES / "99-sample", folder)
    return folder


@pytest.fixture(autouse=True)
def _plain_mode(monkeypatch):
    """Unit tests start in the learner's mode, whatever the environment they run in."""
    for name in list(os.environ):
        if name.startswith("VOILA_") or name in ("NBGRADER_EXECUTION", "COURSE_READONLY", "SERVER_SOFTWARE"):
            monkeypatch.delenv(name, raising=False)
