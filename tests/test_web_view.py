"""A visitor reads a lesson in the read-only web view (real Voila, real Chromium)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from course_lib.content import load_lesson

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDGET = ".jupyter-widgets"


@pytest.fixture(scope="module")
def lesson_id(released_course):
    return released_course.lesson_ids[0]


@pytest.fixture
def page(browser, voila_url, lesson_id):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    page.goto(f"{voila_url}/voila/render/{lesson_id}/{lesson_id}.ipynb", timeout=90_000)
    page.wait_for_selector(".course-question", timeout=90_000)
    yield page
    context.close()


def test_the_lesson_page_renders_its_text_and_widgets(page, released_course, lesson_id):
    content = load_lesson(released_course.self_paced / lesson_id)
    expect(page.get_by_role("heading", name=content.title)).to_be_visible()
    assert page.locator(".course-scenario").count() == len(content.scenarios)
    assert page.locator(".course-question").count() == len(content.self_checks) + len(content.questions)


def test_the_page_shows_no_source_code_and_no_traceback(page):
    html = page.content()
    for code in ("import course_lib", "open_lesson(", "lesson.question(", "lesson.grade(", "BEGIN HIDDEN"):
        assert code not in html
    assert page.locator(".jp-InputArea-editor:visible, .jp-CodeMirrorEditor:visible").count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_the_page_says_answers_are_not_saved_here(page):
    expect(page.get_by_text("nothing you choose or type here is kept")).to_be_visible()


def test_answering_a_self_check_shows_its_feedback(page, released_course, lesson_id):
    content = load_lesson(released_course.self_paced / lesson_id)
    question = next(q for q in content.self_checks.values() if q.kind == "single")
    right = question.option(question.key)
    box = page.locator(".course-question").filter(has_text=question.prompt.split("\n")[0][:40])
    box.get_by_label(right.text, exact=True).check()
    box.get_by_role("button", name="Check my answer", exact=True).click()
    page.wait_for_timeout(200)
    feedback = box.locator(".course-box")
    feedback.first.wait_for(timeout=10_000)
    assert "Right." in feedback.first.inner_text()
    assert right.feedback.split("\n")[0][:30] in box.inner_text()


def test_a_scenario_can_be_played_to_its_end(page):
    scenario = page.locator(".course-scenario").first
    the_end = scenario.get_by_text("The end of this story")
    for _ in range(30):
        if the_end.count():
            break
        scenario.locator(".course-choice").first.click()
        go_on = scenario.get_by_role("button", name="Continue", exact=True)
        go_on.click()
        expect(go_on).to_have_count(0)  # the next step (or the ending) has replaced this one
    expect(the_end).to_be_visible()
    scenario.get_by_role("button", name="Start again", exact=True).click()
    expect(scenario.locator(".course-choice").first).to_be_visible()


def test_the_page_asks_nothing_of_any_host_but_the_course_server(page, voila_url):
    page.locator(".course-choice").first.click()
    page.wait_for_timeout(500)
    hosts = {urlparse(u).hostname for u in page.requested if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, sorted(u for u in page.requested if "127.0.0.1" not in u)


def test_answering_in_the_web_view_writes_no_file(page, released_course, lesson_id):
    box = page.locator(".course-question").first
    box.get_by_role("button").first.click()
    page.wait_for_timeout(300)
    assert not list(released_course.self_paced.rglob("my-answers*"))
