"""The self-paced learner's JupyterLab, started the way `make start` starts it, used like a parent
would in Chromium: a course, not an editor. Lessons open ready, with no code, no widget errors and no
instructor tools; stray keys change nothing; one lesson lives on one screen; My progress is never
stale and its record never overstates the training; the letters read well; at 1280 and at 375 px.
Issue 21's items 1 to 8 are each covered here (the tests say which)."""

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
from conftest import copy_course, free_port, read_start
from learners import answer_on_page
from playwright.sync_api import expect

from course_lib.learner import lab

OPEN = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the tab on show
LESSON = "01-what-is-ot"
SHOTS = Path(os.environ.get("COURSE_SCREENSHOTS", "")) if os.environ.get("COURSE_SCREENSHOTS") else None
MEASURE = "\n".join(line for line in (Path(__file__).parent / "measure_layout.js").read_text().splitlines()
                    if not line.startswith("//"))
MENUS = ["File", "View", "Settings", "Help"]


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
    printed, url = read_start(proc)
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


def _lesson_url(learner_lab, lesson: str) -> str:
    return learner_lab.url.replace("index.ipynb", f"{lesson}/{lesson}.ipynb")


def _page_url(learner_lab, path: str) -> str:
    return learner_lab.url.replace("index.ipynb", path)


def _token(learner_lab) -> str:
    return re.search(r"token=(\w+)", learner_lab.url).group(1)


def _api(learner_lab, path: str):
    from urllib.request import Request, urlopen

    base = learner_lab.url.split("/lab/")[0]
    request = Request(f"{base}/api/{path}", headers={"Authorization": f"token {_token(learner_lab)}"})
    with urlopen(request, timeout=20) as response:
        return json.load(response)


def _busy_kernel(learner_lab, path: str, seconds: float):
    """Keep the kernel of the page at ``path`` busy for ``seconds``, as on a slow, loaded laptop: a
    second client runs ``time.sleep`` in it. Returns the client (stop its channels when done)."""
    from jupyter_client import BlockingKernelClient
    from jupyter_core.paths import jupyter_runtime_dir

    kernel = next(s["kernel"]["id"] for s in _api(learner_lab, "sessions") if s["path"] == path)
    client = BlockingKernelClient(connection_file=str(Path(jupyter_runtime_dir()) / f"kernel-{kernel}.json"))
    client.load_connection_file()
    client.start_channels()
    client.execute(f"import time; time.sleep({seconds})", silent=True, store_history=False)
    return client


def _fits(page, width: int) -> list[str]:
    """What a phone user would meet: the page wider than the screen, or a control cut off."""
    problems = page.evaluate(MEASURE)
    if page.evaluate("document.documentElement.scrollWidth") > width:
        problems.append("the page is wider than the screen")
    wide = page.evaluate(f"[...document.querySelectorAll('{OPEN} .jp-Cell')].filter(c => "
                         "c.getBoundingClientRect().right > window.innerWidth + 1).length")
    if wide:
        problems.append(f"{wide} cells run past the right edge")
    return problems


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


# -- a course, not an editor ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.browser
def test_the_learner_lab_is_a_course_not_an_editor(learner_lab, browser, page, tmp_path):
    """The course home in one column (JupyterLab's simple interface), the menus a learner uses and no
    others, no notebook toolbar (run, stop, restart, cell type, kernel), no status bar, debugger or cell
    toolbars, the course in the file list (not course.yaml), no instructor tools and no news."""
    _open_home(page, learner_lab.url)
    expect(page.get_by_role("tab", name=re.compile(r"^index\.ipynb"))).to_have_count(0)  # no tab bar: one page
    assert page.evaluate("document.querySelector('.jp-LabShell').dataset.shellMode") == "single-document"
    expect(page.locator(".lm-MenuBar-itemLabel")).to_have_text(MENUS)
    expect(page.locator(f"{OPEN} .jp-NotebookPanel-toolbar")).to_be_hidden()
    expect(page.locator("#jp-main-statusbar")).to_be_hidden()
    for chrome in (".jp-DebuggerBugButton", ".jp-cell-toolbar", ".jp-KernelStatus", ".jp-Notebook-ExecutionIndicator"):
        expect(page.locator(f"{chrome}:visible")).to_have_count(0)
    expect(page.locator(OPEN).get_by_role("link", name="What is occupational therapy?").first).to_be_visible()
    listed = page.locator(".jp-DirListing-itemName").all_inner_texts()
    assert {"tools", "index.ipynb", "progress.ipynb", "glossary.ipynb", LESSON} <= set(listed)
    assert not [name for name in listed if name.endswith((".yaml", ".json"))], listed
    time.sleep(3)  # the news question, when it comes, comes a moment after the page
    for instructor_only in ("Nbgrader", "Create Assignment", "Assignments", "Courses", "Formgrader", "Validate"):
        expect(page.get_by_text(instructor_only, exact=True)).to_have_count(0)
    expect(page.get_by_text(re.compile("notified about official Jupyter news"))).to_have_count(0)
    for nbgrader_page in ("formgrader", "assignments", "courses"):
        assert page.request.get(learner_lab.url.split("/lab/")[0] + "/" + nbgrader_page).status == 404
    _screenshot(page, "home-1280.png", tmp_path)

    phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    _open_home(phone, learner_lab.url)
    expect(phone.locator(".lm-MenuBar-itemLabel")).to_have_text(MENUS)
    assert _fits(phone, 375) == []
    _screenshot(phone, "home-375.png", tmp_path)
    phone.goto(_lesson_url(learner_lab, LESSON))
    _wait_until_ready(phone)
    assert _fits(phone, 375) == []
    _screenshot(phone, "lesson-375.png", tmp_path)
    phone.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_lesson_opens_ready_and_works_again_after_close_and_shut_down(learner_lab, browser, page, tmp_path):
    _open_home(page, learner_lab.url)
    _open_lesson_from_home(page, "What is occupational therapy?")
    _no_widget_errors_and_no_code(page)
    assert _scroll_top(page) == 0, "the lesson should stay at its top, not jump to the bottom"
    expect(page.locator(f"{OPEN} .jp-Cell").first).to_have_class(re.compile(r"\bjp-mod-active\b"))
    _check_a_practice_question(page)
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1)  # the course home gave way to the lesson

    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Close and Shut Down Notebook")).click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    expect(page.locator(f".jp-NotebookPanel.course-lesson:has-text('{LESSON}')")).to_have_count(0)
    _open_home(page, learner_lab.url)
    _open_lesson_from_home(page, "What is occupational therapy?")
    _no_widget_errors_and_no_code(page)
    assert _scroll_top(page) == 0
    _check_a_practice_question(page)
    _screenshot(page, "lesson-1280.png", tmp_path)


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
    from urllib.request import Request, urlopen

    page.goto(_lesson_url(learner_lab, lesson))
    notice = page.locator(f"{OPEN} .course-notice")
    expect(notice).to_contain_text("Part of this page did not load", timeout=120_000)
    expect(page.locator(f"{OPEN} :text('RuntimeError'):visible")).to_have_count(0)
    expect(page.locator(f"{OPEN} .course-question")).not_to_have_count(0)  # the parts after it are there
    notice.get_by_role("button", name="Hide this message").click()
    expect(notice).to_be_hidden()

    kernel = next(s["kernel"]["id"] for s in _api(learner_lab, "sessions") if s["path"].startswith(lesson))
    base = learner_lab.url.split("/lab/")[0]
    urlopen(Request(f"{base}/api/kernels/{kernel}/restart", method="POST", data=b"{}",
                    headers={"Authorization": f"token {_token(learner_lab)}"}), timeout=60).close()
    expect(notice).to_contain_text("Part of this page did not load", timeout=120_000)  # prepared again
    expect(page.locator(OPEN).get_by_text("model not found")).to_have_count(0)
    expect(page.locator(f"{OPEN} .course-question").first).to_be_attached()


# -- item 1: two stray key presses ---------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.browser
def test_stray_keys_cannot_change_a_lesson_and_it_is_never_saved(learner_lab, page):
    """Clicking on the key points and pressing `d` `d` once deleted them for good, and `a` added an
    empty cell; autosave wrote both. Now the keys that change cells do nothing to a lesson, Ctrl+S says
    where answers are saved, the server refuses to write or rename a lesson, and closing it asks nothing."""
    lesson = "02-why-schools-provide-ot"
    path = learner_lab.workspace / lesson / f"{lesson}.ipynb"
    before = path.read_bytes()
    page.goto(_lesson_url(learner_lab, lesson))
    _wait_until_ready(page)
    view = page.locator(OPEN)
    cells = view.locator(".jp-Cell").count()
    view.get_by_role("heading", name="Key points").click()
    for key in ("d", "d", "a", "b", "x", "c", "v", "m", "y", "r", "1", "z", "Shift+M", "Enter", "Shift+Enter",
                "Alt+Enter", "Control+Enter", "Control+Shift+Minus", "Control+z", "Escape", "d", "d"):
        page.keyboard.press(key)
    view.get_by_role("heading", name="Key points").dblclick()
    time.sleep(2)
    expect(view.locator(".jp-Cell")).to_have_count(cells)
    expect(view.get_by_role("heading", name="Key points")).to_be_visible()
    expect(view.locator(".jp-Cell .cm-editor:visible")).to_have_count(0)  # no source shown for editing
    page.keyboard.press("Control+s")
    expect(view.locator(".course-notice")).to_contain_text("is saved when you press the page's own buttons")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0)

    base, auth = learner_lab.url.split("/lab/")[0], {"Authorization": f"token {_token(learner_lab)}"}
    model = {"type": "notebook", "format": "json", "content": {**json.loads(before), "cells": []}}
    assert page.request.put(f"{base}/api/contents/{lesson}/{lesson}.ipynb", data=json.dumps(model),
                            headers=auth).status == 403
    assert page.request.patch(f"{base}/api/contents/{lesson}/{lesson}.ipynb", headers=auth,
                              data=json.dumps({"path": f"{lesson}/renamed.ipynb"})).status == 403
    assert path.read_bytes() == before and not (learner_lab.workspace / lesson / "renamed.ipynb").exists()

    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Close Tab")).click()
    expect(page.locator(f"{OPEN}.course-lesson")).to_have_count(0)
    expect(page.get_by_text(re.compile("Save changes|Save your work"))).to_have_count(0)
    assert path.read_bytes() == before


# -- item 2: the same lesson in two tabs -----------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.browser
def test_the_same_lesson_in_a_second_tab_says_it_is_open_elsewhere_and_can_be_brought_here(learner_lab, browser):
    """Both tabs once shared one kernel: tab A showed its own choice while Check my lesson in tab A
    graded tab B's. Now a second tab says the lesson is open elsewhere, with a button to bring it here;
    then it shows the saved state, and the first tab says where the lesson went."""
    from learners import answer_key

    from course_lib.content import load_lesson

    lesson = "04-ot-in-the-iep"
    content = load_lesson(learner_lab.workspace / lesson)
    qid, question = next((i, q) for i, q in content.questions.items() if q.kind == "single")
    choice = next(o for o in question.options if o.id != answer_key(learner_lab.workspace / lesson)[qid][0])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        first = context.new_page()
        first.goto(_lesson_url(learner_lab, lesson))
        _wait_until_ready(first)
        answer_on_page(first.locator(OPEN), question, choice.id)

        second = context.new_page()
        second.goto(_lesson_url(learner_lab, lesson))
        cover = second.locator(f"{OPEN} .course-cover")
        expect(cover).to_contain_text("This page is open in another browser tab or window", timeout=120_000)
        expect(second.locator(f"{OPEN} .course-question")).to_have_count(0)  # nothing of its own to disagree
        cover.get_by_role("button", name="Use it here").click()
        expect(first.locator(f"{OPEN} .course-cover")).to_contain_text("You opened this page in another browser tab",
                                                                      timeout=30_000)
        _wait_until_ready(second)
        card = second.locator(f"{OPEN} .course-question").filter(has_text=question.prompt.split("\n")[0][:50]).last
        expect(card.get_by_label(choice.text, exact=True)).to_be_checked()
        expect(card).to_contain_text("Your answer from last time is shown")
        checker = second.locator(f"{OPEN} .course-check")
        checker.get_by_role("button", name="Check my lesson", exact=True).click()
        expect(checker).to_contain_text(f"Your answer: {choice.text}"[:60], timeout=20_000)

        first.locator(f"{OPEN} .course-cover").get_by_role("button", name="Bring it back here").click()
        expect(second.locator(f"{OPEN} .course-cover")).to_be_visible(timeout=30_000)
        _wait_until_ready(first)
    finally:
        context.close()


# -- items 3 and 8: My progress and the completion record -------------------------------------------------
def _finish_fast(folder: Path, lesson: str, right: bool) -> None:
    """A lesson answered (every answer right, or every one wrong), its reflection written and checked,
    all within a second: as a learner in a hurry would leave it."""
    from learners import wrong_answer

    from course_lib.content import load_lesson
    from course_lib.store import CHECKED_LESSON, ResponseStore

    content, store = load_lesson(folder), ResponseStore(folder / "my-answers.json", lesson)
    for q in content.questions.values():
        store.save(q.store_key, q.key if right else wrong_answer(q, q.key))
    for r in content.reflections.values():
        store.save(r.store_key, "Done quickly.")
    earned = sum(q.points_for(q.saved_in(store)) for q in content.questions.values())
    store.save(CHECKED_LESSON, {"score": earned, "max": content.graded_points, "unanswered": 0})


@pytest.mark.slow
@pytest.mark.browser
def test_a_parent_answers_checks_comes_back_and_gets_a_record_only_for_real_training(learner_lab, page, tmp_path):
    """The whole path of an aide alone: a lesson answered and checked in the page, the kernel shut
    down, the lesson reopened with everything in place. Then the rest of the track finished too fast
    and with failing scores: no record, and My progress says what is missing. Finished properly, the
    record states each score and the time actually spent beside the planned length."""
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
        answer_on_page(view, question, keys[qid][0])
    reflection = view.locator(".course-reflection")
    reflection.get_by_label("Your reflection").fill("Lunch boxes are hard to open at school.")
    reflection.get_by_label("Your reflection").blur()
    reflection.get_by_role("button", name="Save my reflection", exact=True).click()
    expect(reflection).to_contain_text("strong answer", timeout=20_000)
    checker = view.locator(".course-check")
    checker.get_by_role("button", name="Check my lesson", exact=True).click()
    total = lesson.graded_points
    expect(checker).to_contain_text(f"Your score: {total:g} of {total:g} points", timeout=20_000)
    expect(checker).to_contain_text("You passed this lesson (80% is needed)")
    expect(checker).to_contain_text("Right answer:")
    expect(checker).to_contain_text("Why:")

    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Close and Shut Down Notebook")).click()
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    _open_home(page, learner_lab.url)
    _open_lesson_from_home(page, lesson.title)
    _no_widget_errors_and_no_code(page)
    expect(view.get_by_text("Your answer from last time is shown").first).to_be_visible()
    expect(view.locator(".course-reflection textarea")).to_have_value("Lunch boxes are hard to open at school.")
    assert view.locator("figure img").evaluate("img => img.naturalWidth") > 0

    # the rest of the aides' track, done in a hurry: every answer wrong, each lesson checked within a second
    track = outline.tracks["aide"]
    for lid in track.lessons[1:]:
        _finish_fast(ws / lid, lid, right=False)
    page.goto(_page_url(learner_lab, "progress.ipynb"))
    page.wait_for_selector(f"{OPEN} .course-progress", timeout=120_000)
    progress = page.locator(OPEN)
    expect(progress).to_contain_text(f"1 of {len(track.lessons)} lessons done")
    expect(progress).to_contain_text("points to reach (you had 0)")
    expect(progress.locator(".course-record")).to_have_count(0)  # no record of training that did not happen
    expect(progress).not_to_contain_text("hours of training")
    lesson_link = progress.locator(".course-progress").first.get_by_role("link", name=lesson.title)
    color, underline = lesson_link.evaluate("a => [getComputedStyle(a).color, getComputedStyle(a).textDecorationLine]")
    assert color not in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 0.87)") and underline == "underline"  # it looks like a link

    for lid in track.lessons[1:]:  # done again, properly this time (still quickly: the record will say so)
        _finish_fast(ws / lid, lid, right=True)
    page.goto(_page_url(learner_lab, "progress.ipynb"))
    page.wait_for_selector(f"{OPEN} .course-record", timeout=120_000)
    expect(progress).to_contain_text(f"{len(track.lessons)} of {len(track.lessons)} lessons done")
    expect(progress).to_contain_text(f"{total:g} of {total:g}")  # the checked lesson's score
    record = progress.locator(".course-record")
    name = record.get_by_label("Your name, as it should appear on the record")
    name.fill("Zoë Ñúñez")
    name.blur()
    record.get_by_role("button", name="Make my record", exact=True).click()
    expect(record).to_contain_text("Zoë Ñúñez completed the aides' track", timeout=20_000)
    expect(record).to_contain_text("Time spent in them:")
    expect(record).to_contain_text("The lessons' planned length:")
    expect(record).to_contain_text("not a license")
    expect(record).not_to_contain_text("hours of training")
    assert "Georgia" in record.locator(".course-doc").evaluate("d => getComputedStyle(d).fontFamily")  # its own look
    download = record.get_by_role("link", name="PDF (.pdf)")
    assert download.evaluate("a => getComputedStyle(a).color") not in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 0.87)")
    with page.expect_download() as got:
        download.click()
    assert got.value.suggested_filename == "course-record-aide.pdf"
    assert Path(got.value.path()).read_bytes().startswith(b"%PDF-1.4")
    _screenshot(page, "progress-1280.png", tmp_path)

    name.fill("")  # item 8: an empty name takes the record away, never "Saved" beside the old one
    name.blur()
    record.get_by_role("button", name="Make my record", exact=True).click()
    expect(record).to_contain_text("Please type your name first", timeout=20_000)
    expect(record.locator(".course-doc")).to_have_count(0)


# -- item 4, 5 and 6: the tools ------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.browser
def test_the_letters_open_ready_and_the_form_asks_for_what_a_letter_needs(learner_lab, browser, tmp_path):
    """Item 4: the tool pages open ready (no "Run All Cells"), and closing one asks nothing. Item 5: the
    person's name and job in boxes of their own, dates from a labelled date picker typed into from the
    keyboard; the letter reads "Dear Ms. Rivera,"."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        for tool_page, button in (("iep-meeting-sheet", "Make my sheet"), ("aide-sheets", "Make the data sheet"),
                                  ("letters", "Make my letter")):
            page.goto(_page_url(learner_lab, f"tools/{tool_page}.ipynb"))
            expect(page.locator(OPEN).get_by_role("button", name=button)).to_be_visible(timeout=120_000)
            expect(page.locator(OPEN)).not_to_contain_text("Run All")
        tool = page.locator(f"{OPEN} .course-tool")
        tool.get_by_label("Your name", exact=True).fill("Ana Torres")
        tool.get_by_label("Your child's full name").fill("Leo Park")
        tool.get_by_label("Your child's school").fill("Lincoln Elementary")
        tool.get_by_label("The name of the person the letter is to (optional)").fill("Ms. Rivera")
        tool.get_by_label("Their job (optional)").fill("Principal")
        birth = tool.get_by_label("Your child's date of birth (optional)")
        birth.focus()
        page.keyboard.type("06142018")  # month, day, year, from the keyboard
        tool.get_by_role("button", name="Make my letter").click()
        letter = tool.locator(".course-doc")
        expect(letter).to_contain_text("Dear Ms. Rivera,", timeout=20_000)
        expect(letter).to_contain_text("(date of birth: June 14, 2018)")
        expect(letter).not_to_contain_text("Dear Ms. Rivera, Principal")
        expect(letter).to_contain_text("full initial evaluation of Leo.")

        tool.get_by_label("Which letter?").select_option(label="5. Ask for prior written notice")
        tool.get_by_label("What you asked the school to do").fill("To evaluate Leo's motor skills.")
        asked = tool.get_by_label("The date you asked (optional)")
        asked.focus()
        page.keyboard.type("01122025")
        tool.get_by_role("button", name="Make my letter").click()
        expect(letter).to_contain_text("On January 12, 2025, I asked the school to evaluate Leo's motor skills.",
                                       timeout=20_000)
        _screenshot(page, "letters-1280.png", tmp_path)

        page.get_by_role("menuitem", name="File", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Close Tab")).click()
        expect(page.get_by_text(re.compile("Save changes|Save your work"))).to_have_count(0)
        page.goto(_page_url(learner_lab, "tools/letters.ipynb"))
        expect(tool).to_contain_text("Your entries from last time are shown", timeout=120_000)
        expect(tool.get_by_label("Your child's full name")).to_have_value("Leo Park")
    finally:
        context.close()

    phone = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    phone.goto(_page_url(learner_lab, "tools/letters.ipynb"))
    phone.locator(OPEN).get_by_role("button", name="Make my letter").click(timeout=120_000)
    expect(phone.locator(f"{OPEN} .course-doc")).to_be_visible(timeout=20_000)
    assert _fits(phone, 375) == []
    _screenshot(phone, "letters-375.png", tmp_path)
    phone.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_click_right_after_typing_or_ticking_waits_for_what_was_typed(learner_lab, page):
    """Item 6: on a busy machine a tick did not stay and the first press said "You changed something".
    ipywidgets sends each box's changes one at a time, so a click could overtake them while the kernel
    was busy. Here the kernel is kept busy while the parent types and ticks and presses at once."""
    page.goto(_page_url(learner_lab, "tools/letters.ipynb"))
    tool = page.locator(f"{OPEN} .course-tool")
    tool.get_by_role("button", name="Make my letter").wait_for(timeout=120_000)
    tool.get_by_label("Your name", exact=True).fill("Ana Torres")
    tool.get_by_label("Your child's school").fill("Lincoln Elementary")
    busy = _busy_kernel(learner_lab, "tools/letters.ipynb", 4)
    try:
        child = tool.get_by_label("Your child's full name")
        child.fill("")
        child.press_sequentially("Leo Park", delay=0)
        tool.get_by_role("button", name="Make my letter").click()
        letter = tool.locator(".course-doc")
        expect(letter).to_contain_text("I am the parent of Leo Park,", timeout=30_000)
        expect(tool).not_to_contain_text("You changed something")
    finally:
        busy.stop_channels()

    tool.get_by_label("Which letter?").select_option(label="4. Ask for an IEP meeting with the OT")
    tool.get_by_label("What you want to talk about at the meeting").fill("Leo's handwriting goal")
    busy = _busy_kernel(learner_lab, "tools/letters.ipynb", 4)
    try:
        tool.get_by_label("Ask the school to invite the OT to the meeting").uncheck()
        tool.get_by_role("button", name="Make my letter").click()
        expect(letter).to_contain_text("to talk about: Leo's handwriting goal.", timeout=30_000)
        expect(letter).not_to_contain_text("Please invite")  # the tick taken away stayed away
        expect(tool.get_by_label("Ask the school to invite the OT to the meeting")).not_to_be_checked()
    finally:
        busy.stop_channels()


# -- items 7 and 8: never stale, one page at a time, Back, arrow keys -------------------------------------
@pytest.mark.slow
@pytest.mark.browser
def test_my_progress_is_never_stale_and_back_and_forward_open_the_page(learner_lab, page):
    """Item 7: after more lessons were finished, My progress opened again from the course home said
    what it said before. Item 8: the browser's Back button changed the address and nothing else."""
    ws = learner_lab.workspace
    page.goto(_page_url(learner_lab, "progress.ipynb"))
    page.wait_for_selector(f"{OPEN} .course-progress", timeout=120_000)
    text = page.locator(OPEN).inner_text()
    done = int(re.search(r"(\d+) of 8 lessons done", text).group(1))
    following = "07-transition-to-adult-life"  # in the parents' track only: no other test finishes it
    _finish_fast(ws / following, following, right=True)  # finished in another tab, or on another day
    page.locator(OPEN).get_by_role("link", name="Course home").first.click()
    expect(page.locator("#jp-title-panel-title input")).to_have_value("index.ipynb", timeout=60_000)
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1)  # one page at a time, like a web site
    page.locator(OPEN).get_by_role("link", name="My progress").click()
    expect(page.locator(OPEN)).to_contain_text(f"{done + 1} of 8 lessons done", timeout=120_000)

    page.go_back()
    expect(page.locator("#jp-title-panel-title input")).to_have_value("index.ipynb", timeout=30_000)
    expect(page.locator(OPEN).get_by_role("link", name="My progress")).to_be_visible()
    page.go_forward()
    expect(page.locator("#jp-title-panel-title input")).to_have_value("progress.ipynb", timeout=30_000)
    expect(page.locator(OPEN)).to_contain_text(f"{done + 1} of 8 lessons done", timeout=120_000)


@pytest.mark.slow
@pytest.mark.browser
def test_arrow_keys_move_between_a_questions_options_not_to_another_cell(learner_lab, page):
    page.goto(_lesson_url(learner_lab, LESSON))
    _wait_until_ready(page)
    card = page.locator(f"{OPEN} .course-question").first
    radios = card.get_by_role("radio")
    radios.nth(0).check()
    radios.nth(0).focus()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    expect(radios.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(radios.nth(0)).to_be_focused()


@pytest.mark.slow
@pytest.mark.browser
def test_a_learner_who_wants_the_full_jupyterlab_can_turn_it_on_and_back(learner_lab, page):
    _open_home(page, learner_lab.url)
    page.get_by_role("menuitem", name="View", exact=True).click()
    page.get_by_role("menuitem", name="Show the full JupyterLab (every menu and tool)").click()
    page.wait_for_load_state()
    expect(page.locator(".lm-MenuBar-itemLabel")).to_have_text(["File", "Edit", "View", "Run", "Kernel", "Tabs",
                                                                "Settings", "Help"], timeout=90_000)
    expect(page.locator("#jp-main-statusbar")).to_be_visible()
    page.get_by_role("menuitem", name="View", exact=True).click()
    page.get_by_role("menuitem", name="Back to the course view").click()
    page.wait_for_load_state()
    expect(page.locator(".lm-MenuBar-itemLabel")).to_have_text(MENUS, timeout=90_000)


@pytest.mark.slow
@pytest.mark.browser
def test_a_learner_who_chooses_spanish_gets_spanish_pages_and_jupyterlab_in_spanish(learner_lab, page):
    """Issue 20: the link at the top of the course home chooses the language; the Spanish home keeps the
    choice and sets JupyterLab's own language, so its menus are in Spanish from the next load, and a course
    page's own words (Ctrl+S) are in the page's language."""
    from course_lib import preference

    setting = learner_lab.workspace / preference.STATE / preference.LAB_LANGUAGE
    try:
        _open_home(page, learner_lab.url)
        page.locator(OPEN).get_by_role("link", name="Español").first.click()
        expect(page.locator(OPEN).get_by_role("heading", name="Herramientas para llevar")).to_be_visible(
            timeout=60_000)
        deadline = time.monotonic() + 90
        while preference.remembered(learner_lab.workspace) != "es" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert json.loads(setting.read_text(encoding="utf-8"))["locale"] == "es_ES"
        page.goto(_lesson_url(learner_lab, LESSON).replace(f"{LESSON}.ipynb", f"{LESSON}.es.ipynb"))
        _wait_until_ready(page)
        expect(page.get_by_role("menuitem", name="Archivo", exact=True)).to_be_visible()  # JupyterLab's own menus
        view = page.locator(OPEN)
        expect(view.get_by_role("button", name="Guardar mi respuesta").first).to_be_visible()
        view.get_by_role("heading", name="Puntos clave").click()
        page.keyboard.press("Control+s")
        expect(view.locator(".course-notice")).to_contain_text("Aquí no hay nada que guardar")
        page.get_by_role("menuitem", name="Ver", exact=True).click()
        expect(page.get_by_role("menuitem", name="Mostrar JupyterLab completo (todos los menús y herramientas)")) \
            .to_be_visible()
        page.keyboard.press("Escape")
    finally:  # the other tests use the course in English
        preference.remember("en", learner_lab.workspace)
    assert json.loads(setting.read_text(encoding="utf-8"))["locale"] == "en"


@pytest.mark.slow
def test_starting_again_after_lessons_were_opened_and_saved_leaves_no_new_copies(learner_lab):
    opened = learner_lab.workspace / LESSON / f"{LESSON}.ipynb"
    nb = json.loads(opened.read_text())
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}  # what JupyterLab once added on save
    opened.write_text(json.dumps(nb, indent=1))
    again = _course(learner_lab.root, "start", "--no-lab")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(learner_lab.workspace.rglob("*.new.ipynb"))
    assert "Repaired" not in again.stdout and not (learner_lab.workspace / ".changed-copies").exists()


@pytest.mark.slow
def test_starting_the_course_while_it_is_open_gives_its_address_again(learner_lab):
    port = re.search(r":(\d+)/", learner_lab.url).group(1)
    again = _course(learner_lab.root, "start", "--port", port)
    assert again.returncode == 0 and again.stdout == f"The course is already open at {learner_lab.url}\n"


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
    for off in ("@jupyterlab/apputils-extension:announcements", "@jupyterlab/debugger-extension",
                "@jupyterlab/terminal-extension"):
        assert off in learner


# -- the server's side, without a browser ---------------------------------------------------------------
@pytest.fixture
def learner_config(tmp_path, monkeypatch):
    """A learner's Jupyter settings folder whose page config names one course notebook."""
    config = tmp_path / "config"
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    lab.write_page_config(config, ["01/01.ipynb", "01/01.es.ipynb"])
    root = tmp_path / "ws"
    (root / "01").mkdir(parents=True)
    for name, metadata in (("01/01.ipynb", {"course": {"lesson": "01"}}), ("mine.ipynb", {}),
                           ("01/01.es.ipynb", {"course": {"lesson": "01", "language": "es"}})):
        (root / name).write_text(json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}))
    return root


def test_the_server_never_writes_or_renames_a_course_page_but_saves_the_learners_own(learner_config):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from tornado.web import HTTPError

    from course_lib.learner.saving import CourseContentsManager

    manager = CourseContentsManager(root_dir=str(learner_config))
    lesson, before = learner_config / "01" / "01.ipynb", (learner_config / "01" / "01.ipynb").read_text()
    model = {"type": "notebook", "content": {"cells": [], "metadata": {"course": {}}, "nbformat": 4,
                                             "nbformat_minor": 5}}

    async def go():
        assert (await manager.get("01/01.ipynb", content=False))["writable"] is False
        assert (await manager.get("mine.ipynb", content=False))["writable"] is True
        for call in (manager.save(model, "01/01.ipynb"), manager.rename_file("01/01.ipynb", "01/x.ipynb")):
            with pytest.raises(HTTPError) as refused:
                await call
            assert refused.value.status_code == 403 and "page of the course" in refused.value.log_message
        with pytest.raises(HTTPError) as refused:  # said in the page's language
            await manager.save(model, "01/01.es.ipynb")
        assert "Esta es una página del curso, así que no se guarda" in refused.value.log_message
        await manager.save({**model, "content": {**model["content"], "metadata": {"mine": 1}}}, "mine.ipynb")
        await manager.save(model, "01/copy-of-mine.ipynb")  # Save As: a copy is the learner's to change

    with ThreadPoolExecutor(1) as thread:  # a thread of its own: Playwright may run an event loop in this one
        thread.submit(asyncio.run, go()).result()
    assert lesson.read_text() == before
    assert json.loads((learner_config / "mine.ipynb").read_text())["metadata"] == {"mine": 1}


def test_every_start_forgets_the_pages_left_open_and_tells_the_extension_the_course_notebooks(tmp_path):
    """Every later start once reopened all 13 tabs ever opened, each starting its own kernel. The same
    settings reach a learner's server on the course's hub (learner_settings)."""
    config = tmp_path / "config"
    layouts = config / "lab" / "workspaces"
    layouts.mkdir(parents=True)
    (layouts / "default-37a8.jupyterlab-workspace").write_text('{"data": {"layout-restorer:data": {}}}')
    args, env = lab.learner_settings(config, ["01/01.ipynb"], {"JUPYTER_CONFIG_PATH": "/elsewhere"})
    assert not list(layouts.iterdir())
    assert json.loads((config / "labconfig" / "page_config.json").read_text())["courseNotebooks"] == ["01/01.ipynb"]
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(lab.CONFIG_PATH), "/elsewhere"]
    assert env["JUPYTER_CONFIG_DIR"] == str(config)
    assert f"--LabApp.extra_labextensions_path={lab.LABEXTENSIONS}" in args
    overrides = json.loads((lab.CONFIG_PATH / "labconfig" / "default_setting_overrides.json").read_text())
    assert overrides["@jupyterlab/application-extension:shell"]["startMode"] == "single"


def test_the_address_stays_the_same_and_only_its_owner_can_read_the_token(tmp_path):
    first, again = lab.learner_token(tmp_path), lab.learner_token(tmp_path)
    assert first == again and len(first) == 48
    (tmp_path / lab.TOKEN_FILE).chmod(0o644)  # someone else could have read it: make a new one
    assert lab.learner_token(tmp_path) != first
    assert stat.S_IMODE((tmp_path / lab.TOKEN_FILE).stat().st_mode) == 0o600
