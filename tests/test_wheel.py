"""On any laptop: the wheel with the course inside, installed into a fresh virtual environment outside
the repository, with no make and no copy of the course, starts the course with `course start`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_course, free_port, read_start

pytestmark = pytest.mark.slow


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / name


def test_the_wheel_installed_in_a_fresh_environment_starts_the_course(tmp_path):
    root = copy_course(tmp_path / "course")
    built = subprocess.run([sys.executable, "-m", "course_lib", "--root", str(root), "wheel", "--out",
                            str(tmp_path / "dist")], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("ot_special_ed_course-*-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    lessons = [p.name for p in (root / "notebooks").iterdir() if p.is_dir() and p.name[:1].isdigit()]
    assert all(f"course_lib/edition/{lid}/{lid}.ipynb" in names for lid in lessons)
    assert "course_lib/edition/index.ipynb" in names and "course_lib/edition/tools/letters.ipynb" in names
    assert not [n for n in names if "my-answers" in n or n.startswith(("notebooks/", "grading/"))]

    laptop = tmp_path / "laptop"  # outside the repository, as on a learner's own computer
    home, env = laptop / "home", laptop / "env"
    home.mkdir(parents=True)
    assert ROOT not in laptop.parents
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(env)], check=True, timeout=300)
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # the learner's own home folder; pip keeps its download cache where it was (the machine's, not the learner's)
    clean_env.update(HOME=str(home), USERPROFILE=str(home), BROWSER="true",
                     PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")))
    install = subprocess.run([str(_bin(env, "python")), "-m", "pip", "install", "--quiet",
                              "--disable-pip-version-check", str(wheel)],
                             capture_output=True, text=True, timeout=1500, cwd=home, env=clean_env)
    assert install.returncode == 0, install.stderr[-3000:]
    where = subprocess.run([str(_bin(env, "python")), "-c", "import course_lib; print(course_lib.__file__)"],
                           capture_output=True, text=True, cwd=home, env=clean_env, check=True).stdout
    assert Path(where.strip()).is_relative_to(env), where  # the installed course, not the repository's

    port = free_port()
    proc = subprocess.Popen([str(_bin(env, "course")), "start", "--port", str(port)], cwd=home, env=clean_env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        printed, url = read_start(proc)
        assert url, "\n".join(printed)
        folder = home / "ot-course"
        assert printed[0] == f"Your course and your answers are kept in {folder}"
        token = url.split("token=")[1]
        listing = _get(f"http://127.0.0.1:{port}/api/contents?token={token}")
        shown = {c["name"] for c in listing["content"]}
        assert set(lessons) <= shown and {"index.ipynb", "progress.ipynb", "tools"} <= shown
        assert "course.yaml" not in shown  # the course's data files are not in the learner's file list
        lesson = _get(f"http://127.0.0.1:{port}/api/contents/{lessons[0]}/{lessons[0]}.ipynb?token={token}")
        assert lesson["writable"] is False and lesson["content"]["metadata"]["course"]["lesson"] == lessons[0]
        assert all(c["metadata"]["editable"] is False for c in lesson["content"]["cells"])
    finally:
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=60)[0]
    assert "The course has stopped." in rest


def _get(url: str, within: float = 30):
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
