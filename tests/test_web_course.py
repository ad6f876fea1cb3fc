"""A visitor uses the whole course in the read-only web view: home page, navigation, a phone,
accessibility, and a forged widget value (real Voila, real Chromium)."""

from __future__ import annotations

import json
import re
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import start_voila, stop
from playwright.sync_api import expect
from webtools import NAVIGATION, fetch, kernel_id

from course_lib.content import read_raw
from course_lib.outline import load_outline
from course_lib.publish.leaks import MARKERS, withheld_texts

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = ".course-question button"  # a lesson's first interactive widget
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def outline(released_course):
    return load_outline(released_course.notebooks)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context
    context.close()


def _lesson_url(voila_url: str, lesson_id: str) -> str:
    return f"{voila_url}/voila/render/{lesson_id}/{lesson_id}.ipynb"


def test_the_web_view_opens_on_the_course_home_with_both_tracks_in_order(context, voila_url, outline):
    page = context.new_page()
    page.goto(voila_url + "/")
    expect(page).to_have_url(re.compile(r"/voila/render/index\.ipynb$"), timeout=60_000)
    expect(page.get_by_role("heading", name=outline.title, exact=True)).to_be_visible(timeout=60_000)
    for track in outline.tracks.values():
        section = page.locator("ol").nth(list(outline.tracks).index(track.id))
        expect(page.get_by_role("heading", name=track.title, exact=True)).to_be_visible()
        expect(section.get_by_role("link")).to_have_text([outline.lessons[lid].title for lid in track.lessons])
    page.wait_for_selector("#loading", state="hidden", timeout=90_000)
    page.get_by_role("link", name="glossary", exact=True).first.click()
    expect(page.get_by_role("heading", name="Glossary", exact=True)).to_be_visible(timeout=60_000)
    expect(page.locator("dl.course-glossary dt")).to_have_count(len(outline.glossary()))


@pytest.mark.parametrize("track_id", ["parent", "aide"])
def test_a_visitor_can_walk_a_track_from_the_home_page_to_its_last_lesson(context, voila_url, outline, track_id):
    track = outline.tracks[track_id]
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(voila_url + "/voila/render/index.ipynb")
    page.wait_for_selector("#loading", state="hidden", timeout=90_000)  # Voila has finished the page
    section = page.locator("ol").nth(list(outline.tracks).index(track_id))
    section.get_by_role("link").first.click()
    for n, lid in enumerate(track.lessons, 1):
        expect(page).to_have_url(re.compile(re.escape(f"/{lid}/{lid}.ipynb") + "$"), timeout=60_000)
        page.wait_for_selector(READY, timeout=90_000)  # widgets are live on every lesson
        expect(page.get_by_role("heading", name=outline.lessons[lid].title, exact=True)).to_be_visible()
        nav = page.locator(".jp-RenderedMarkdown", has_text="Course home").first
        expect(nav).to_contain_text(f"lesson {n} of {len(track.lessons)}")
        page.wait_for_selector("#loading", state="hidden", timeout=90_000)
        if n < len(track.lessons):
            # lesson 01 is first in both tracks, so its "next" link can appear once per track
            nav.get_by_role("link", name=outline.lessons[track.lessons[n]].title, exact=True).first.click()
    expect(nav).to_contain_text("this is the last lesson of the track")
    nav.get_by_role("link", name="Course home").click()
    expect(page).to_have_url(re.compile(r"/index\.ipynb$"), timeout=60_000)
    hosts = {urlparse(u).hostname for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}  # fonts, icons, scripts: all from the course's own server


def test_a_lesson_reads_well_at_phone_width(browser, voila_url, outline, tmp_path):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        lesson_id = next(iter(outline.lessons))
        page.goto(_lesson_url(voila_url, lesson_id))
        page.wait_for_selector(READY, timeout=90_000)
        # Nothing is wider than the phone: no sideways scrolling, every widget fits.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shown = ".course-question:visible, .course-scenario:visible, .jp-RenderedMarkdown p:visible"
        for box in page.locator(shown).all():
            right = box.bounding_box()
            assert right and right["x"] >= 0 and right["x"] + right["width"] <= PHONE["width"] + 1
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize)")
        assert size >= 16  # readable without zooming
        expect(page.get_by_text("Run All Cells")).to_be_hidden()  # JupyterLab's menus are not here
        shot = page.screenshot(path=str(tmp_path / "phone.png"))
        assert int.from_bytes(shot[16:20], "big") == PHONE["width"]  # PNG header: the page was drawn at 375 px
        tallest = page.evaluate("Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
        assert tallest > 3 * PHONE["height"]  # one long readable column, not squeezed side by side
    finally:
        context.close()


def _pages(outline) -> list[str]:
    return ["index.ipynb", "glossary.ipynb", *(f"{lid}/{lid}.ipynb" for lid in outline.lessons)]


def test_every_page_has_no_serious_accessibility_problem(context, voila_url, outline):
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), {}
    page = context.new_page()
    for path in _pages(outline):
        page.goto(f"{voila_url}/voila/render/{path}")
        page.wait_for_selector("#rendered_cells", state="visible", timeout=90_000)
        if "/" in path:
            page.wait_for_selector(READY, timeout=90_000)
        result = axe.run(page)
        bad = [v for v in result.response["violations"] if v["impact"] in ("critical", "serious")]
        if bad:
            found[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
    assert found == {}, json.dumps(found, indent=1)


def _forge_choice(ws_route, index: int) -> None:
    """Pass the page's kernel messages through, but replace any choice it sends with ``index``."""
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1,
        serialize_msg_to_ws_v1,
    )

    server = ws_route.connect_to_server()

    def upstream(message):
        if isinstance(message, bytes):
            channel, parts = deserialize_msg_from_ws_v1(message)
            content = json.loads(parts[3])
            state = content.get("data", {}).get("state", {})
            if "index" in state:
                state["index"] = index
                parts[3] = json.dumps(content).encode()
                message = serialize_msg_to_ws_v1(parts, channel)
        server.send(message)

    ws_route.on_message(upstream)


def test_a_forged_choice_from_the_browser_gets_a_friendly_message(context, voila_url, outline):
    page = context.new_page()
    page.route_web_socket(re.compile(r"/api/kernels/.*/channels"), lambda ws: _forge_choice(ws, 99))
    page.goto(_lesson_url(voila_url, next(iter(outline.lessons))))
    page.wait_for_selector(READY, timeout=90_000)
    box = page.locator(".course-question").filter(has=page.locator("input[type=radio]")).first
    box.locator("input[type=radio]").first.check()  # the kernel receives choice 99 of 3
    box.get_by_role("button", name="Check my answer", exact=True).click()
    expect(box).to_contain_text("Please choose an answer first", timeout=10_000)
    body = page.inner_text("body")
    assert "Traceback" not in body and "TraitError" not in body


def _kernels(server) -> int:
    out = subprocess.run(["ps", "--ppid", str(server.pid), "-o", "args="], capture_output=True, text=True).stdout
    return sum("ipykernel" in line for line in out.splitlines())


@contextmanager
def _one_visitor_on_own_server(browser, released_course, outline, log: Path, **options):
    """A server of the test's own (so no other page's kernel counts) and a tab on a lesson."""
    server, url = start_voila(released_course.self_paced, log, tuned=False, **options)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(_lesson_url(url, next(iter(outline.lessons))))
        page.wait_for_selector(READY, timeout=90_000)
        assert _kernels(server) == 1
        yield server, page
    finally:
        context.close()
        stop(server)


def _wait_for_no_kernels(server, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while _kernels(server) and time.monotonic() < deadline:
        time.sleep(0.3)
    return _kernels(server)


def test_a_tab_left_open_does_not_keep_its_kernel_forever(browser, released_course, outline, tmp_path):
    # The course culls after an idle hour; the same settings, shortened, so the test is quick.
    with _one_visitor_on_own_server(browser, released_course, outline, tmp_path / "voila.log",
                                    cull_idle_timeout=4, cull_interval=1) as (server, _page):
        assert _wait_for_no_kernels(server, 60) == 0  # the tab is still open, but its idle kernel is gone


def test_closing_a_tab_opened_straight_on_a_lesson_gives_its_kernel_back(browser, released_course, outline,
                                                                         tmp_path):
    # Voila 0.5 refuses the closing page's shutdown request unless the visitor came through a
    # directory page first (voila-dashboards/voila#1458); a link or a bookmark goes straight in.
    with _one_visitor_on_own_server(browser, released_course, outline, tmp_path / "voila.log") as (server, page):
        page.close(run_before_unload=True)
        assert _wait_for_no_kernels(server, 30) == 0, (tmp_path / "voila.log").read_text()[-2000:]


def test_no_page_of_the_web_view_carries_code_answers_or_hidden_tests(voila_url, outline, released_course):
    """The keys stay in the server's kernel: a page carries no why, graded feedback or rubric before
    the visitor has answered."""
    secrets = {s for lid in released_course.lesson_ids for s in withheld_texts(read_raw(released_course.lesson(lid)))}
    for path in _pages(outline):
        # A browser's page view (anything else gets a small "Opening the lesson" page and no kernel).
        page = fetch(f"{voila_url}/voila/render/{path}", NAVIGATION)
        assert kernel_id(page.body)
        from html import unescape

        text = " ".join(unescape(page.body).split())
        for leak in (*MARKERS, "lesson.grade(", "from course_lib", "Traceback", *secrets):
            assert leak not in text, f"{path} contains {leak[:60]!r}"
        xsrf = re.search(r"_xsrf=([^;]*)", page.cookie_header()).group(1)  # close it, as a tab would
        fetch(f"{voila_url}/api/kernels/{kernel_id(page.body)}", {"Cookie": page.cookie_header(), "X-XSRFToken": xsrf},
              "DELETE")


def test_a_lesson_can_be_used_with_the_keyboard_alone_and_shows_where_focus_is(context, voila_url, outline):
    page = context.new_page()
    page.goto(_lesson_url(voila_url, next(iter(outline.lessons))))
    page.wait_for_selector(READY, timeout=90_000)
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.tagName, e.type || '', e.textContent.trim().slice(0, 40), s.outlineStyle,
                    parseFloat(s.outlineWidth)]; }""")
        tag, kind, text, style, width = focused
        if tag in ("INPUT", "BUTTON", "SELECT", "TEXTAREA"):
            assert style != "none" and width >= 2, f"no visible focus on {focused}"
        reached.add(kind if tag == "INPUT" else text if tag == "BUTTON" else tag)
    assert "radio" in reached and "Check my answer" in reached
    # answer a practice question and check it with the keyboard alone
    page.reload()
    page.wait_for_selector(READY, timeout=90_000)
    in_question = "() => !!document.activeElement.closest('.course-question')"
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "radio" and page.evaluate(in_question):
            break
    page.keyboard.press("Space")  # choose the focused option
    card = page.locator(".course-question").filter(has=page.locator("input[type=radio]:checked")).first
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Check my answer":
            break
    page.keyboard.press("Enter")
    expect(card.locator(".course-box")).to_contain_text(re.compile("Right|Not quite"), timeout=20_000)
