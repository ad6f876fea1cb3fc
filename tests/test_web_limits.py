"""The web view at its real limits (real standalone Voila on 127.0.0.1, raw clients and Chromium):
a low open-files limit and a flood of visitors, two tabs opened at once on a first visit, one
visitor opening ten tabs, "Check my lesson" with nothing answered, the view served without any
key, forged widget messages, and the smaller things a stranger can poke at."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import sqlite3
import time
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
from conftest import start_voila, stop
from playwright.sync_api import expect
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect
from webtools import (
    LESSON,
    NAVIGATION,
    OTHER_PAGE,
    PAGE,
    READY,
    V1,
    Jar,
    fetch,
    kernel_id,
    kernel_pids,
    kernels,
    message,
    read_message,
    run_apart,
    talk_to_kernel,
    wait_for,
    widget_ids,
)

from course_lib import open_lesson
from course_lib.content import read_raw
from course_lib.publish.leaks import withheld_texts
from course_lib.views import text_of

pytestmark = [pytest.mark.slow]

STATIC = "/voila/static/course-a11y.js"  # a page of the course's own origin that sets no cookie


@contextmanager
def server(layout_folder: Path, tmp_path: Path, **options):
    """A Voila of the test's own, with Voila's defaults unless told (each page starts its kernel)."""
    options.setdefault("tuned", False)
    log = tmp_path / "voila.log"
    proc, url = start_voila(layout_folder, log, **options)
    try:
        yield proc, url, log
    finally:
        stop(proc)


def _close(url: str, page, jar: Jar | None = None) -> int:
    """What closing the tab does: the page's beacon, with its cookies."""
    cookie = jar.header(f"/voila/api/shutdown/{kernel_id(page.body)}") if jar else page.cookie_header()
    xsrf = re.search(r"_xsrf=([^;]*)", page.cookie_header()).group(1)
    return fetch(f"{url}/voila/api/shutdown/{kernel_id(page.body)}", {"Cookie": cookie, "Origin": url}, "POST",
                 f"_xsrf={xsrf}".encode()).status


def _served_log_problems(log: Path) -> list[str]:
    """Each problem line of the server's log, a traceback with the twenty lines after it (to say which)."""
    lines = log.read_text().splitlines()
    return ["\n".join(lines[at:at + 20]) if "Traceback" in line else line for at, line in enumerate(lines)
            if "Traceback" in line or "Too many open files" in line or re.match(r"^500 ", line)
            or "TemplateNotFound" in line or "Timeout waiting for kernel_info" in line]


# -- 1. the open-files limit ------------------------------------------------------------------------

async def _flood(url: str, visitors: int, sockets_each: int) -> dict:
    """``visitors`` page views at once, each then opening ``sockets_each`` websockets to its kernel."""
    jars = [Jar() for _ in range(visitors)]
    pages = await asyncio.gather(*(asyncio.to_thread(lambda j=j: j.keep(fetch(url + PAGE, NAVIGATION, timeout=180)))
                                   for j in jars))
    opened, refused = [], 0
    for page, jar in zip(pages, jars, strict=True):
        if page.status != 200:
            continue
        kernel = kernel_id(page.body)
        for n in range(sockets_each):
            request = HTTPRequest(f"ws{url.removeprefix('http')}/api/kernels/{kernel}/channels?session_id=s{n}",
                                  headers={"Cookie": jar.for_kernel(kernel)})
            try:
                opened.append((kernel, await websocket_connect(request, subprotocols=[V1])))
            except (HTTPClientError, OSError):
                refused += 1
    await asyncio.sleep(3)
    still_open = {}
    for kernel, socket in opened:
        if await _still_open(socket):
            still_open[kernel] = still_open.get(kernel, 0) + 1
    for _kernel, socket in opened:
        socket.close()
    return {"statuses": [p.status for p in pages], "pages": pages, "jars": jars, "refused": refused,
            "open per kernel": still_open}


async def _still_open(socket) -> bool:
    """Whether the server has left this websocket open (what it sent is read until it closes, or a second)."""
    try:
        async with asyncio.timeout(1):
            while await socket.read_message() is not None:
                pass
    except TimeoutError:
        return True
    return False


def test_at_a_low_open_files_limit_a_flood_gets_pages_or_the_busy_page_and_the_server_lives_on(
        released_course, tmp_path):
    with server(released_course.self_paced, tmp_path, open_files=256) as (proc, url, log):
        got = run_apart(_flood(url, visitors=30, sockets_each=4))
        assert proc.poll() is None, "the server died"
        assert _served_log_problems(log) == []
        assert set(got["statuses"]) == {200, 503}, got["statuses"]
        busy = [p for p in got["pages"] if p.status == 503]
        assert all("The course is busy" in p.body for p in busy)
        assert all(n <= 2 for n in got["open per kernel"].values()), got["open per kernel"]  # sockets per kernel
        cap = int(re.search(r"Kernel cap: (\d+), not 150, for the open-files limit", log.read_text()).group(1))
        assert 1 <= cap < 20 and kernels(proc) <= cap  # what the limit holds, and the log said so
        # Once the crowd has left, the server serves the next visitor as before.
        for page, jar in zip(got["pages"], got["jars"], strict=True):
            if page.status == 200:
                _close(url, page, jar)
        assert wait_for(lambda: kernels(proc) == 0, 60)
        jar = Jar()
        page = jar.keep(fetch(url + PAGE, NAVIGATION))
        assert page.status == 200
        heard = [read_message(m)[1] for m in talk_to_kernel(url, kernel_id(page.body),
                                                             cookie=jar.for_kernel(kernel_id(page.body)), listen=2)]
        assert "status" in heard


# -- 2 and 3. tabs opened together -----------------------------------------------------------------

def _open_together(context, url: str, paths: list[str]) -> list:
    """Tabs on the course's own origin, each then sent to a page by script: the requests all leave
    before the first answer comes back, as when a visitor opens several links at once."""
    tabs = [context.new_page() for _ in paths]
    for tab in tabs:
        tab.goto(url + STATIC)
    for tab, path in zip(tabs, paths, strict=True):
        tab.evaluate("u => { window.location.href = u; }", url + path)
    return tabs


def _works(tab) -> None:
    """Its widgets answer: checking a practice question with nothing chosen asks for a choice."""
    box = tab.locator(".course-question").first
    box.get_by_role("button", name="Check my answer", exact=True).click()
    expect(box).to_contain_text(re.compile("Please choose (an answer|a place for every item) first"), timeout=20_000)


@pytest.mark.browser
def test_two_tabs_opened_at_once_on_a_first_visit_both_work(released_course, tmp_path, browser):
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        context = browser.new_context()
        try:
            views = []
            context.on("request", lambda r: views.append(r) if "/voila/render/" in r.url else None)
            tabs = _open_together(context, url, [PAGE, OTHER_PAGE])
            for tab in tabs:
                tab.wait_for_selector(READY, timeout=90_000)
                tab.wait_for_selector("#loading", state="detached", timeout=90_000)
            for tab in tabs:
                _works(tab)
                expect(tab.locator("#course-lost")).to_have_count(0)
            # Both asked without the visitor cookie, so each was given its own: the case that broke a tab.
            cookies = [r.all_headers().get("cookie", "") for r in views[:2]]
            assert not any("course_visitor=" in c for c in cookies), cookies
            assert len({c["value"] for c in context.cookies() if c["name"] == "course_page"}) == 2
        finally:
            context.close()
        assert _served_log_problems(log) == []


def _settled(tab) -> str | None:
    if tab.locator("#course-lost").count():
        return "lost"
    if tab.title() == "Many lessons are opening":
        return "too many"
    if tab.locator(READY).count() and tab.locator("#loading").count() == 0:
        return "working"
    return None


@pytest.mark.browser
def test_a_visitor_opening_ten_tabs_at_once_finds_each_working_or_told_why(released_course, tmp_path, browser):
    lessons = [f"/voila/render/{lid}/{lid}.ipynb" for lid in released_course.lesson_ids]
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        context = browser.new_context()
        try:
            home = context.new_page()
            home.goto(url + "/voila/render/index.ipynb")  # the visitor has been here before: one browser
            home.wait_for_selector("#loading", state="detached", timeout=90_000)
            tabs = _open_together(context, url, list(itertools.islice(itertools.cycle(lessons), 10)))
            assert wait_for(lambda: all(_settled(t) for t in tabs), 240, every=1), [_settled(t) for t in tabs]
            time.sleep(6)  # a page that has just lost its kernel says so within 4 s
            states = [_settled(t) for t in tabs]
            assert "working" in states and set(states) <= {"working", "lost", "too many"}, states
            for tab, state in zip(tabs, states, strict=True):
                if state == "working":
                    _works(tab)
                elif state == "lost":
                    expect(tab.get_by_role("alert")).to_contain_text("you opened more lessons in other tabs")
                else:
                    assert "Close a lesson you are not reading" in tab.inner_text("body")
            assert wait_for(lambda: kernels(proc) <= 4, 30), kernels(proc)  # the browser's allowance
        finally:
            context.close()
        assert _served_log_problems(log) == []


# -- 4. no answer key for the asking ----------------------------------------------------------------

def _check(lesson) -> str:
    """Press "Check my lesson" and read what it shows."""
    card = lesson.check_lesson().widget
    next(c for c in card.children if getattr(c, "description", "") == "Check my lesson").click()
    return text_of(card.children[-1].value)


def test_check_my_lesson_in_the_web_view_gives_no_key_before_a_question_is_answered(released_course):
    folder = released_course.self_paced / LESSON
    lesson = open_lesson(folder, mode="view")
    questions = list(lesson.content.questions.values())
    shown = _check(lesson)
    assert "Right answer" not in shown and "Why:" not in shown
    assert not any(q.why and q.why.split(" (")[0][:50] in shown for q in questions)
    assert f"{len(questions)} questions not answered yet" in shown
    first = next(q for q in questions if q.kind == "single")
    view = lesson.question(first.id)
    wrong = next(o.id for o in first.options if o.id != first.key)
    view.choose(wrong)
    assert view.submit()
    shown = _check(lesson)
    assert shown.count("Right answer") == 1 and first.why.split(" (")[0][:50] in shown
    assert not any(q.why and q.why.split(" (")[0][:50] in shown for q in questions if q is not first)


def test_the_view_can_be_served_with_no_answer_key_at_all(released_course, tmp_path):
    from course_lib.publish import COHORT_VIEW, run

    run(COHORT_VIEW, released_course)  # scans what it wrote: it fails if any key is left
    folder = released_course.cohort_view
    lesson = open_lesson(folder / LESSON, mode="view")
    assert not lesson.content.has_keys
    assert "not checked in this web view" in _check_widget_text(lesson)
    question = next(q for q in lesson.content.questions.values() if q.kind == "single")
    view = lesson.question(question.id)
    view.choose(question.options[0].id)
    assert view.submit() and "not checked in this web view" in view.feedback and "Saved" not in view.feedback
    secrets = {s for lid in released_course.lesson_ids for s in withheld_texts(read_raw(released_course.lesson(lid)))}
    with server(folder, tmp_path) as (proc, url, log):
        for path in (PAGE, "/voila/render/index.ipynb"):
            page = fetch(url + path, NAVIGATION)
            assert page.status == 200 and kernel_id(page.body)
            text = " ".join(unescape(page.body).split())
            assert not [s for s in secrets if s in text], path
            _close(url, page)
        assert not list(folder.rglob("my-answers*"))


def _check_widget_text(lesson) -> str:
    return text_of(lesson.check_lesson().value)


# -- 5. forged widget messages ---------------------------------------------------------------------

def _rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def test_forged_widget_messages_cannot_grow_a_kernels_memory(released_course, tmp_path):
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        jar = Jar()
        page = jar.keep(fetch(url + PAGE, NAVIGATION))
        kernel, pid = kernel_id(page.body), kernel_pids(proc)[0]
        talk_to_kernel(url, kernel, cookie=jar.for_kernel(kernel), listen=1)
        before = _rss_mib(pid)
        big = "x" * 200_000  # under the most one message may carry
        forged = [message("comm_open", {"comm_id": f"made-up-{n}", "target_name": "jupyter.widget",
                                        "data": {"state": {"_model_name": "HTMLModel", "_model_module":
                                                           "@jupyter-widgets/controls", "value": big},
                                                 "buffer_paths": []}}, "s") for n in range(150)]
        forged += [message("comm_msg", {"comm_id": widget, "data": {"method": "update", "state": {name: big},
                                                                     "buffer_paths": []}}, "s")
                   for widget in widget_ids(page.body) for name in ("value", "description", "placeholder")]
        talk_to_kernel(url, kernel, forged, listen=12, cookie=jar.for_kernel(kernel))
        grown = _rss_mib(pid) - before
        assert grown < 16, f"the kernel grew by {grown:.0f} MiB"
        heard = [read_message(m)[1] for m in talk_to_kernel(url, kernel, [message("kernel_info_request", {}, "s")],
                                                             listen=3, cookie=jar.for_kernel(kernel))]
        assert "kernel_info_reply" in heard  # the kernel still answers its page
        assert "Dropped" in log.read_text()
        limits = Path(f"/proc/{pid}/limits").read_text()
        assert re.search(r"Max data size\s+536870912\s+536870912", limits), limits  # 512 MiB, whatever else it is sent
        _close(url, page, jar)


# -- 8. the smaller things ---------------------------------------------------------------------------

def test_behind_https_every_cookie_is_secure_and_lasts_for_the_session_only(released_course, tmp_path):
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        page = fetch(url + PAGE, {**NAVIGATION, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"})
        lines = page.headers.get_all("Set-Cookie")
        assert {line.split("=", 1)[0] for line in lines} >= {"_xsrf", "course_visitor", "course_page"}
        assert any(line.startswith("username-") for line in lines)
        for line in lines:
            assert "; Secure" in line and "expires=" not in line.lower() and "max-age" not in line.lower(), line
        plain = fetch(url + PAGE, NAVIGATION)
        assert not any("Secure" in line for line in plain.headers.get_all("Set-Cookie"))
        _close(url, page)
        _close(url, plain)


def test_odd_requests_get_a_plain_not_found_and_leave_no_traceback_in_the_log(released_course, tmp_path):
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        for path in ("/voila/templates/course/conf.json", "/voila/templates/course", "/voila/templates/x/static/",
                     "/logout", "/login", "/api/kernels"):
            assert fetch(url + path).status == 404, path
        assert fetch(url + "/voila/render/no-such.ipynb", NAVIGATION).status == 404
        jar = Jar()
        page = jar.keep(fetch(url + PAGE, NAVIGATION))
        kernel = kernel_id(page.body)
        assert _close(url, page, jar) == 204
        assert wait_for(lambda: kernels(proc) == 0, 30)
        # The page's later requests to its ended kernel are told why, and leave nothing in the log.
        ended = fetch(f"{url}/api/kernels/{kernel}", {"Cookie": jar.header(f"/api/kernels/{kernel}")})
        assert ended.status == 410 and json.loads(ended.body)["reason"] == "closed"
        with pytest.raises(HTTPClientError):
            talk_to_kernel(url, kernel, cookie=jar.for_kernel(kernel), listen=0.5)
        assert _close(url, page, jar) == 410
        assert fetch(f"{url}/api/kernels/{kernel}").status == 403  # to anyone else, nothing about it
        jar.keep(fetch(url + PAGE, NAVIGATION))  # a page still open when the server stops
    assert log.read_text().count("Kernel shutdown") == 2 and _served_log_problems(log) == []  # stopped quietly


def _leave_during_handshake(url: str, kernel: str, cookie: str) -> None:
    """What a phone does when its page is closed while the page's websocket is still being opened."""
    import base64
    import os
    import socket

    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall((f"GET /api/kernels/{kernel}/channels?session_id={os.urandom(8).hex()} HTTP/1.1\r\n"
                     f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                     f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {V1}\r\nOrigin: {url.rstrip('/')}\r\n"
                     f"Cookie: {cookie}\r\n\r\n").encode())


def test_a_page_closed_while_its_connection_opens_leaves_the_kernel_working_and_no_traceback(
        released_course, tmp_path):
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        jar = Jar()
        kernel = kernel_id(jar.keep(fetch(url + PAGE, NAVIGATION)).body)
        for _ in range(10):
            _leave_during_handshake(url, kernel, jar.for_kernel(kernel))
        time.sleep(2)
        heard = [read_message(m)[1] for m in talk_to_kernel(url, kernel, [message("kernel_info_request", {}, "s")],
                                                            cookie=jar.for_kernel(kernel), origin=url.rstrip("/"))]
        assert "kernel_info_reply" in heard  # the page, opened again, still reaches its kernel
    assert _served_log_problems(log) == []


def test_a_web_view_kernel_keeps_no_history(released_course, tmp_path, monkeypatch):
    ipython = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    with server(released_course.self_paced, tmp_path) as (proc, url, log):
        for _ in range(2):
            page = fetch(url + PAGE, NAVIGATION)
            assert page.status == 200
            _close(url, page)
        assert wait_for(lambda: kernels(proc) == 0, 30)
    history = ipython / "profile_default" / "history.sqlite"
    if history.exists():
        with sqlite3.connect(history) as db:
            assert db.execute("select count(*) from history").fetchone()[0] == 0
            assert db.execute("select count(*) from sessions").fetchone()[0] == 0
