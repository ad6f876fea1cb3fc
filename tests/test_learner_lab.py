"""The self-paced learner's JupyterLab, started the way `make start` starts it, used like a parent
would in Chromium: lessons open ready, with no code, no widget errors and no instructor tools."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_course, free_port
from playwright.sync_api import expect

from course_lib.learner import lab
from course_lib.learner.saving import drop_course_outputs

OPEN = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the tab on show
LESSON = "01-what-is-ot"
SHOTS = Path(os.environ.get("COURSE_SCREENSHOTS", "")) if os.environ.get("COURSE_SCREENSHOTS") else None


@dataclass
class Lab:
    root: Path
    proc: subprocess.Popen
    url: str
    printed: list[str]

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"


def _course(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_lib", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    """`course start` on a copy of the course, on a free port, as `make start` runs it."""
    root = copy_course(tmp_path_factory.mktemp("learner"))
    proc = subprocess.Popen([sys.executable, "-m", "course_lib", "--root", str(root), "start", "--port",
                             str(free_port())], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "BROWSER": "true"})
    printed, url, deadline = [], None, time.monotonic() + 300
    while time.monotonic() < deadline and not (printed and printed[-1].startswith("Press Ctrl+C")):
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        printed.append(line.rstrip("\n"))
        if m := re.match(r"Open the course at (\S+)$", printed[-1]):
            url = m.group(1)
    if url is None:
        proc.kill()
        pytest.fail("course start did not open JupyterLab; it printed:\n" + "\n".join(printed))
    yield Lab(root, proc, url, printed)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda message: page.console_messages.append(message))
    yield page
    context.close()
    if "learner_lab" in request.fixturenames:
        _forget_open_tabs(request.getfixturevalue("learner_lab"))


def _forget_open_tabs(learner_lab) -> None:
    """JupyterLab reopens the tabs a page left open the next time it opens (its saved layout);
    one test's lessons must not come back to the front in the next test's page."""
    from urllib.error import HTTPError
    from urllib.parse import parse_qs, urlsplit
    from urllib.request import Request, urlopen

    parts = urlsplit(learner_lab.url)
    token = parse_qs(parts.query).get("token", [""])[0]
    for workspace in ("default", "auto-0"):
        request = Request(f"{parts.scheme}://{parts.netloc}/lab/api/workspaces/{workspace}", method="DELETE",
                          headers={"Authorization": f"token {token}"})
        try:
            urlopen(request, timeout=10).close()
        except HTTPError as error:
            if error.code != 404:  # 404: no layout saved under that name
                raise


def _open_home(page, url: str) -> None:
    """Open the address `course start` printed; wait until JupyterLab has opened the page it names
    (until then, JupyterLab may bring that page back to the front over a lesson just opened)."""
    page.goto(url)
    page.wait_for_selector(f"{OPEN} .jp-Notebook", timeout=90_000)
    page.wait_for_selector("#filebrowser:not(.jp-mod-restoring)", state="attached", timeout=90_000)


def _open_lesson_from_home(page, title: str) -> None:
    home = page.locator(OPEN)
    home.get_by_role("link", name=title, exact=True).first.click()
    _wait_until_ready(page)


def _wait_until_ready(page) -> None:
    """Until the lesson's questions are there and the "getting ready" notice has gone."""
    try:
        page.wait_for_selector(f"{OPEN}.course-lesson .course-question", state="attached", timeout=120_000)
        page.wait_for_selector(f"{OPEN} .course-notice", state="hidden", timeout=120_000)
    except Exception:
        if SHOTS:
            page.screenshot(path=str(SHOTS / "not-ready.png"))
        notice = page.locator(f"{OPEN} .course-notice")
        said = [m.text for m in getattr(page, "console_messages", [])][-20:]
        pytest.fail(f"the lesson did not get ready; its notice says: {notice.all_inner_texts()}; "
                    f"the browser's console said: {said}")


def _scroll_top(page) -> float:
    return page.evaluate(f"document.querySelector('{OPEN} .jp-WindowedPanel-outer').scrollTop")


def _check_a_practice_question(page) -> None:
    """Answer the first practice question and press Check: the feedback under it changes."""
    check = page.get_by_role("button", name=re.compile(r"^Check"))
    question = page.locator(f"{OPEN} .course-question").filter(has=check).first
    before = question.inner_text()
    question.get_by_role("radio").first.check()
    question.locator(check).click()
    expect(question).not_to_have_text(before, timeout=20_000)
    expect(question.locator("[aria-live=polite]").first).to_be_attached()  # a screen reader reads the feedback


def _answer_and_save(view, question, key) -> None:
    """Give ``key`` as a parent does, by clicking the question's own widgets, and press Save."""
    card = view.locator(".course-question").filter(has_text=question.prompt.split("\n")[0][:50]).last
    if question.kind == "single":
        card.get_by_label(question.option(key).text, exact=True).check()
    elif question.kind == "multiple":
        for oid in key:
            card.get_by_label(question.option(oid).text, exact=True).check()
    else:
        for item in question.options:  # each item's choices are radio buttons under it
            group = card.locator(".course-sort-item").filter(has_text=item.text)
            group.get_by_role("radio", name=question.category(key[item.id]).text, exact=True).check()
    card.get_by_role("button", name="Save my answer", exact=True).click()
    expect(card).to_contain_text("Saved.", timeout=20_000)


def _no_widget_errors_and_no_code(page) -> None:
    lesson = page.locator(OPEN)
    expect(lesson.get_by_text("model not found")).to_have_count(0)
    expect(lesson.get_by_text("Traceback")).to_have_count(0)
    expect(lesson.locator(".jp-CodeCell .jp-InputArea-editor:visible")).to_have_count(0)
    expect(lesson.locator(".jp-InputPrompt:visible, .jp-OutputPrompt:visible")).to_have_count(0)
    expect(lesson.locator(".jupyter-widgets:visible").first).to_be_visible()


def _screenshot(page, name: str, tmp_path: Path) -> None:
    for folder in filter(None, (tmp_path, SHOTS)):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name))


@pytest.mark.slow
def test_course_start_prints_one_short_message_with_an_address_that_stays_the_same(learner_lab):
    token = (learner_lab.workspace / ".jupyter" / "course-token").read_text()
    assert learner_lab.printed == ["Getting the course ready...",
                                   f"Open the course at {learner_lab.url}", "Press Ctrl+C to stop."]
    assert re.fullmatch(rf"http://127\.0\.0\.1:\d+/lab/tree/index\.ipynb\?token={token}", learner_lab.url)
    assert stat.S_IMODE((learner_lab.workspace / ".jupyter" / "course-token").stat().st_mode) == 0o600
    assert "Jupyter Server" in (learner_lab.workspace / ".jupyter" / "jupyterlab.log").read_text()


@pytest.mark.slow
@pytest.mark.browser
def test_the_learner_lab_opens_on_the_course_home_with_no_instructor_tools_and_no_news(learner_lab, page):
    _open_home(page, learner_lab.url)
    expect(page.get_by_role("tab", name=re.compile(r"^index\.ipynb"), selected=True)).to_be_visible()
    expect(page.locator(OPEN).get_by_role("link", name="What is occupational therapy?").first).to_be_visible()
    expect(page.locator(".lm-MenuBar-itemLabel")).to_contain_text(["File", "Edit", "View", "Run", "Kernel"])
    time.sleep(3)  # the news question, when it comes, comes a moment after the page
    for instructor_only in ("Nbgrader", "Create Assignment", "Assignments", "Courses", "Formgrader", "Validate"):
        expect(page.get_by_text(instructor_only, exact=True)).to_have_count(0)
    expect(page.get_by_text(re.compile("notified about official Jupyter news"))).to_have_count(0)
    for nbgrader_page in ("formgrader", "assignments", "courses"):
        assert page.request.get(learner_lab.url.split("/lab/")[0] + "/" + nbgrader_page).status == 404


@pytest.mark.slow
@pytest.mark.browser
def test_a_lesson_opens_ready_and_works_again_after_close_and_shut_down(learner_lab, browser, page, tmp_path):
    _open_home(page, learner_lab.url)
    _open_lesson_from_home(page, "What is occupational therapy?")
    _no_widget_errors_and_no_code(page)
    assert _scroll_top(page) == 0, "the lesson should stay at its top, not jump to the bottom"
    expect(page.locator(f"{OPEN} .jp-Cell").first).to_have_class(re.compile(r"\bjp-mod-active\b"))
    _check_a_practice_question(page)

    page.keyboard.press("Control+s")
    saved = learner_lab.workspace / LESSON / f"{LESSON}.ipynb"
    deadline = time.monotonic() + 20
    while "version" not in json.loads(saved.read_text())["metadata"]["language_info"]:
        assert time.monotonic() < deadline, "Ctrl+S did not save the lesson"
        time.sleep(0.3)
    cells = json.loads(saved.read_text())["cells"]
    assert all(c["outputs"] == [] for c in cells if c["cell_type"] == "code"), "a saved lesson keeps no widget views"

    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Close and Shut Down Notebook")).click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    expect(page.get_by_role("tab", name=re.compile(LESSON))).to_have_count(0)
    _open_lesson_from_home(page, "What is occupational therapy?")
    _no_widget_errors_and_no_code(page)
    assert _scroll_top(page) == 0
    _check_a_practice_question(page)
    _screenshot(page, "lesson-1280.png", tmp_path)

    phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    phone.goto(learner_lab.url.replace("index.ipynb", f"{LESSON}/{LESSON}.ipynb"))
    _wait_until_ready(phone)
    _no_widget_errors_and_no_code(phone)
    _screenshot(phone, "lesson-375.png", tmp_path)
    phone.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_part_that_fails_gives_a_plain_notice_not_a_traceback_and_a_kernel_restart_prepares_again(learner_lab, page):
    lesson = "10-privacy-and-families"
    path = learner_lab.workspace / lesson / f"{lesson}.ipynb"
    original = path.read_text()
    nb = json.loads(original)
    nb["cells"].insert(5, {"cell_type": "code", "id": "broken", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": "raise RuntimeError('a broken part')"})
    path.write_text(json.dumps(nb))
    try:
        _a_broken_part_is_named_plainly(page, learner_lab, lesson)
    finally:
        path.write_text(original)


def _a_broken_part_is_named_plainly(page, learner_lab, lesson: str) -> None:
    page.goto(learner_lab.url.replace("index.ipynb", f"{lesson}/{lesson}.ipynb"))
    notice = page.locator(f"{OPEN} .course-notice")
    expect(notice).to_contain_text("Part of this lesson did not load", timeout=120_000)
    expect(page.locator(f"{OPEN} :text('RuntimeError'):visible")).to_have_count(0)
    expect(page.locator(f"{OPEN} .course-question")).not_to_have_count(0)  # the parts after it are there
    notice.get_by_role("button", name="Hide this message").click()
    expect(notice).to_be_hidden()

    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Restart Kernel…")).click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    expect(notice).to_contain_text("Part of this lesson did not load", timeout=120_000)  # prepared again
    expect(page.locator(OPEN).get_by_text("model not found")).to_have_count(0)
    expect(page.locator(f"{OPEN} .course-question").first).to_be_attached()


@pytest.mark.slow
def test_starting_again_after_lessons_were_opened_and_saved_leaves_no_new_copies(learner_lab):
    opened = learner_lab.workspace / LESSON / f"{LESSON}.ipynb"
    nb = json.loads(opened.read_text())
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}  # what JupyterLab adds on save
    opened.write_text(json.dumps(nb, indent=1))
    again = _course(learner_lab.root, "start", "--no-lab")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(learner_lab.workspace.rglob("*.new.ipynb"))
    assert "Kept your changed copy" not in again.stdout


@pytest.mark.slow
def test_starting_the_course_while_it_is_open_gives_its_address_again(learner_lab):
    port = re.search(r":(\d+)/", learner_lab.url).group(1)
    again = _course(learner_lab.root, "start", "--port", port)
    assert again.returncode == 0 and again.stdout == f"The course is already open at {learner_lab.url}\n"


@pytest.mark.slow
@pytest.mark.browser
def test_a_parent_answers_checks_comes_back_sees_progress_and_gets_a_completion_record(learner_lab, page, tmp_path):
    """The whole path of a parent alone: a lesson answered and checked, the kernel shut down, the
    lesson reopened with everything in place, progress on the course pages, and, once a track's
    last lesson is done, a completion record."""
    from grading_class import write_answers
    from learners import answer_key

    from course_lib.outline import load_outline

    ws = learner_lab.workspace
    outline = load_outline(ws)
    lesson = outline.lessons[LESSON]
    _open_home(page, learner_lab.url)
    _open_lesson_from_home(page, lesson.title)
    view = page.locator(OPEN)
    expect(view.locator("figure img")).to_have_count(1)
    assert view.locator("figure img").evaluate("img => img.naturalWidth") > 0  # the picture shows
    assert view.locator("figure img").get_attribute("alt")

    keys = answer_key(ws / LESSON)
    for qid, question in lesson.questions.items():
        _answer_and_save(view, question, keys[qid][0])
    reflection = view.locator(".course-reflection")
    reflection.get_by_label("Your reflection").fill("Lunch boxes are hard to open at school.")
    reflection.get_by_label("Your reflection").blur()
    reflection.get_by_role("button", name="Save my reflection", exact=True).click()
    expect(reflection).to_contain_text("strong answer", timeout=20_000)
    checker = view.locator(".course-check")
    checker.get_by_role("button", name="Check my lesson", exact=True).click()
    total = lesson.graded_points
    expect(checker).to_contain_text(f"Your score: {total:g} of {total:g} points", timeout=20_000)
    expect(checker).to_contain_text("Right answer:")
    expect(checker).to_contain_text("Why:")

    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Close and Shut Down Notebook")).click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    _open_lesson_from_home(page, lesson.title)
    _no_widget_errors_and_no_code(page)
    expect(view.get_by_text("Your answer from last time is shown").first).to_be_visible()
    expect(view.locator(".course-reflection textarea")).to_have_value("Lunch boxes are hard to open at school.")
    assert view.locator("figure img").evaluate("img => img.naturalWidth") > 0

    # the rest of the aides' track was done on earlier days; its last lesson is done now, in the browser
    track = outline.tracks["aide"]
    for lid in track.lessons[1:-1]:
        content = outline.lessons[lid]
        write_answers(ws / lid, lid, {q: k for q, (k, _p) in answer_key(ws / lid).items()}, "Done earlier.")
        assert content.reflections
    last = track.lessons[-1]
    page.goto(learner_lab.url.replace("index.ipynb", f"{last}/{last}.ipynb"))
    _wait_until_ready(page)
    last_keys = answer_key(ws / last)
    for qid, question in outline.lessons[last].questions.items():  # answered through the page's own widgets
        _answer_and_save(view, question, last_keys[qid][0])
    view.locator(".course-reflection").get_by_label("Your reflection").fill("Ask the family how they like to talk.")
    view.locator(".course-reflection").get_by_label("Your reflection").blur()
    view.locator(".course-reflection").get_by_role("button", name="Save my reflection", exact=True).click()
    expect(view.locator(".course-reflection")).to_contain_text("Saved.", timeout=20_000)

    page.goto(learner_lab.url.replace("index.ipynb", "progress.ipynb"))
    page.wait_for_selector(f"{OPEN} .course-record", timeout=120_000)
    progress = page.locator(OPEN)
    expect(progress).to_contain_text(f"{len(track.lessons)} of {len(track.lessons)} lessons done")
    expect(progress).to_contain_text(f"{total:g} of {total:g}")  # the checked lesson's score
    parents = outline.tracks["parent"].lessons  # done there: the lessons it shares with the aides' track
    expect(progress).to_contain_text(f"{len(set(parents) & set(track.lessons))} of {len(parents)} lessons done")
    record = progress.locator(".course-record")
    record.get_by_label("Your name, as it should appear on the record").fill("Zoë Ñúñez")
    record.get_by_label("Your name, as it should appear on the record").blur()
    record.get_by_role("button", name="Make my record", exact=True).click()
    expect(record).to_contain_text("Zoë Ñúñez completed the aides' track", timeout=20_000)
    expect(record).to_contain_text("not a license")
    with page.expect_download() as got:
        record.get_by_role("link", name="PDF (.pdf)").click()
    assert got.value.suggested_filename == "course-record-aide.pdf"
    assert Path(got.value.path()).read_bytes().startswith(b"%PDF-1.4")
    _screenshot(page, "progress-1280.png", tmp_path)


@pytest.mark.slow
def test_ctrl_c_stops_the_course_and_its_jupyterlab(learner_lab):
    port = int(re.search(r":(\d+)/", learner_lab.url).group(1))
    learner_lab.proc.send_signal(signal.SIGINT)
    rest = learner_lab.proc.communicate(timeout=60)[0]
    assert "The course has stopped." in rest
    assert lab.port_is_free(port)


@pytest.mark.slow
def test_a_busy_port_is_named_plainly_and_another_one_suggested(tmp_path):
    root = copy_course(tmp_path)
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        result = _course(root, "start", "--port", str(port))
    assert result.returncode == 1
    assert f"Port {port} is in use by another program" in result.stdout
    assert re.search(r"make start PORT=\d+", result.stdout)
    assert not (root / "grading" / "release").exists(), "a busy port is found before any work is done"


@pytest.mark.slow
def test_the_instructors_jupyterlab_keeps_nbgrader_and_never_loads_the_learners_settings(tmp_path):
    def extensions(env):
        listing = subprocess.run([sys.executable, "-m", "jupyterlab.labextensions", "list"], env=env, cwd=tmp_path,
                                 capture_output=True, text=True, timeout=120)
        return re.sub(r"\x1b\[\d+m", "", listing.stdout + listing.stderr)

    instructor = extensions({**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "instructor")})
    assert re.search(r"@jupyter/nbgrader v\S+ enabled", instructor)
    assert "course-learner" not in instructor
    _, env = lab.lab_command(tmp_path / "ws", free_port(), "0" * 48)
    learner = extensions(env)
    assert re.search(r"@jupyter/nbgrader v\S+ disabled", learner)
    assert "@jupyterlab/apputils-extension:announcements" in learner


def test_saving_a_lesson_drops_its_outputs_but_a_notebook_of_ones_own_is_saved_as_it_is():
    output = {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {}}, "metadata": {}}

    def notebook(metadata):
        cells = [{"cell_type": "code", "source": "lesson.header()", "outputs": [dict(output)], "execution_count": 3,
                  "metadata": {}}, {"cell_type": "markdown", "source": "Hello", "metadata": {}}]
        return {"type": "notebook", "content": {"metadata": metadata, "cells": cells}}

    lesson, own = notebook({"course": {"lesson": "01"}}), notebook({})
    drop_course_outputs(model=lesson, path="01/01.ipynb", contents_manager=None)
    drop_course_outputs(model=own, path="mine.ipynb", contents_manager=None)
    assert lesson["content"]["cells"][0]["outputs"] == [] and lesson["content"]["cells"][0]["execution_count"] is None
    assert own["content"]["cells"][0]["outputs"] == [output]


def test_the_address_stays_the_same_and_only_its_owner_can_read_the_token(tmp_path):
    first, again = lab.learner_token(tmp_path), lab.learner_token(tmp_path)
    assert first == again and len(first) == 48
    (tmp_path / lab.TOKEN_FILE).chmod(0o644)  # someone else could have read it: make a new one
    assert lab.learner_token(tmp_path) != first
    assert stat.S_IMODE((tmp_path / lab.TOKEN_FILE).stat().st_mode) == 0o600
