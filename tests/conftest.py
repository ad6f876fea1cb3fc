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


SLOW_FIXTURES = {"released_course", "voila_url"}  # the whole course built (nbgrader), or a server


def pytest_collection_modifyitems(items):
    """A test that uses the built course or a server is slow, and one that uses the browser is a
    browser test, however it is marked: ``make unit`` never waits for either."""
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _plain_mode(monkeypatch):
    """Unit tests start in the learner's mode, whatever the environment they run in."""
    for name in list(os.environ):
        if name.startswith("VOILA_") or name in ("NBGRADER_EXECUTION", "COURSE_READONLY", "SERVER_SOFTWARE"):
            monkeypatch.delenv(name, raising=False)


CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_start(proc, within: float = 300) -> tuple[list[str], str | None]:
    """What `course start` (``proc``, its output piped) printed up to "Press Ctrl+C to stop.", and the
    address it gave (None if it stopped first)."""
    import re
    import time

    printed, url, deadline = [], None, time.monotonic() + within
    while time.monotonic() < deadline and not (printed and printed[-1].startswith("Press Ctrl+C")):
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        printed.append(line.rstrip("\n"))
        if m := re.match(r"Open the course at (\S+)$", printed[-1]):
            url = m.group(1)
    return printed, url


def copy_course(root: Path) -> Path:
    """The course's lessons, pictures and nbgrader configuration, copied to ``root`` (no answers, no editions)."""
    from course_lib.layout import CourseLayout

    return CourseLayout(ROOT).copy_sources(root).root


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """A copy of the course with both editions made: the cohort release (nbgrader) and the self-paced
    edition (the repository is left as it is). Returns its :class:`CourseLayout`."""
    from course_lib.layout import CourseLayout
    from course_lib.publish import RELEASE, SELF_PACED, run

    layout = CourseLayout(copy_course(tmp_path_factory.mktemp("released")))
    run(RELEASE, layout)
    run(SELF_PACED, layout)
    return layout


def start_voila(release: Path, log_path: Path, open_files: int | None = None, **options):
    """A real standalone Voila serving ``release`` on 127.0.0.1; returns (process, base URL).
    ``open_files`` starts it under that open-files limit, soft and hard (as ``ulimit -n`` would)."""
    import resource
    import subprocess
    import time
    import urllib.request

    from course_lib.web import voila_command

    port = free_port()
    cmd, env = voila_command(release, port, **options)
    limit = None if open_files is None else (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (open_files,) * 2))
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=limit)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("Voila did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.3)


def stop(proc) -> None:
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def voila_url(released_course):
    """The read-only web view of the self-paced edition, served by a real standalone Voila on 127.0.0.1."""
    proc, url = start_voila(released_course.self_paced, released_course.root / "voila.log")
    yield url
    stop(proc)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download). Required on CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run should have installed it")
        pytest.skip("browser tests need Debian's chromium (sudo apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


def spanish_course(root: Path) -> Path:
    """A copy of the course, whose parents' track is offered in Spanish (``languages: [es]`` in course.yaml,
    every lesson of it translated)."""
    import yaml

    from course_lib.layout import CourseLayout

    layout = CourseLayout(copy_course(root))
    parent = yaml.safe_load(layout.course_file.read_text(encoding="utf-8"))["tracks"]["parent"]
    assert "es" in parent["languages"] and all((layout.lesson(lid) / "lesson.es.yaml").is_file()
                                               for lid in parent["lessons"])
    return layout.root
