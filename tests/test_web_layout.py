"""Every answer readable and tappable, on a 375 px phone and at desktop width, on every page of the
web view (real Voila, real Chromium): options wrap without overlapping, nothing is cut off with an
ellipsis, each control lies inside its card and the screen, and touch targets are at least 24 px
(WCAG 2.2, 2.5.8). Then what a visitor gets from a graded question, and what a screen reader hears."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from course_lib import modes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = ".course-question button"
MEASURE = "\n".join(line for line in (Path(__file__).parent / "measure_layout.js").read_text().splitlines()
                    if not line.startswith("//"))  # a function Playwright calls in the page


def _pages(released_course) -> list[str]:
    return [f"{lid}/{lid}.ipynb" for lid in released_course.lesson_ids]


@pytest.mark.parametrize("width", [375, 1280])
def test_every_question_on_every_page_is_readable_and_tappable(browser, voila_url, released_course, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500,
                                  has_touch=width < 500)
    found = {}
    try:
        page = context.new_page()
        for path in _pages(released_course):
            page.goto(f"{voila_url}/voila/render/{path}", timeout=90_000)
            page.wait_for_selector(READY, timeout=90_000)
            page.wait_for_selector("#loading", state="hidden", timeout=90_000)
            if problems := page.evaluate(MEASURE):
                found[path] = sorted(set(problems))[:12]
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
    finally:
        context.close()
    assert found == {}, found


def _lesson(voila_url, released_course) -> str:
    lid = released_course.lesson_ids[0]
    return f"{voila_url}/voila/render/{lid}/{lid}.ipynb"


def test_a_visitor_gets_the_result_of_a_graded_question_after_answering_with_no_instructor_wording(
        browser, voila_url, released_course):
    from course_lib.content import load_lesson

    content = load_lesson(released_course.self_paced / released_course.lesson_ids[0])
    question = next(q for q in content.questions.values() if q.kind == "single")
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(_lesson(voila_url, released_course), timeout=90_000)
        page.wait_for_selector(READY, timeout=90_000)
        body = page.inner_text("body")
        assert "instructor" not in body.lower()
        assert question.why not in body  # nothing of the answer before the visitor answers
        card = page.locator(".course-question").filter(has_text=question.prompt.split("\n")[0][:40]).last
        card.get_by_label(question.option(question.key).text, exact=True).check()
        card.get_by_role("button", name="Check my answer", exact=True).click()
        expect(card).to_contain_text("Right answer:", timeout=20_000)
        expect(card).to_contain_text(question.why.split(" (")[0][:60])
        expect(card).to_contain_text(modes.VIEW.say("not_kept"))
        assert card.locator("[aria-live=polite]").count() >= 1  # announced to a screen reader
    finally:
        context.close()


def test_after_a_story_choice_a_screen_reader_hears_the_feedback_and_focus_moves_on_not_to_the_top(
        browser, voila_url, released_course):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(_lesson(voila_url, released_course), timeout=90_000)
        page.wait_for_selector(".course-scenario .course-choice", timeout=90_000)
        story = page.locator(".course-scenario").first
        expect(story.locator("[aria-live=polite]").first).to_be_attached()  # there before the choice
        story.locator(".course-choice").first.focus()
        page.keyboard.press("Enter")
        expect(story.locator("[aria-live=polite]", has_text="You chose:")).to_have_count(1, timeout=10_000)
        expect(story.get_by_role("button", name="Continue", exact=True)).to_be_focused(timeout=10_000)
        page.keyboard.press("Enter")
        expect(story.locator(".course-step-text")).to_be_focused(timeout=10_000)
    finally:
        context.close()


def _sorting_lessons(released_course) -> dict[str, list]:
    from course_lib.content import load_lesson

    found = {}
    for lid in released_course.lesson_ids:
        content = load_lesson(released_course.self_paced / lid)
        sorts = [q for q in (*content.self_checks.values(), *content.questions.values()) if q.kind == "sort"]
        if sorts:
            found[lid] = sorts
    return found


READ_SORT_CHOICES = """() => [...document.querySelectorAll('.course-sort-item')].map(item => {
    const W = window.innerWidth;
    return [...item.querySelectorAll('.widget-radio-box label')].map(label => {
        const r = label.getBoundingClientRect(), s = getComputedStyle(label);
        return {text: label.innerText.trim(), whole: label.scrollWidth <= label.clientWidth + 1
                && label.scrollHeight <= label.clientHeight + 1 && s.textOverflow !== 'ellipsis',
                inside: r.left >= -1 && r.right <= W + 1, tall: r.height >= 24};
    });
})"""


def test_every_sorting_choice_reads_in_full_on_a_phone(browser, voila_url, released_course):
    """A closed dropdown showed one line of its choice, cut off with an ellipsis at 375 px."""
    lessons = _sorting_lessons(released_course)
    assert lessons, "no lesson has a sorting question"
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        for lid, questions in lessons.items():
            page.goto(f"{voila_url}/voila/render/{lid}/{lid}.ipynb", timeout=90_000)
            page.wait_for_selector(".course-sort-item", timeout=90_000)
            page.wait_for_selector("#loading", state="hidden", timeout=90_000)
            items = page.evaluate(READ_SORT_CHOICES)
            expected = sorted(tuple(c.text for c in q.categories) for q in questions for _item in q.options)
            assert sorted(tuple(c["text"] for c in item) for item in items) == expected, lid
            for item in items:
                for choice in item:
                    assert choice["whole"] and choice["inside"] and choice["tall"], (lid, choice)
    finally:
        context.close()


def test_the_links_to_the_course_home_and_the_glossary_are_big_enough_to_tap(browser, voila_url, released_course):
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(_lesson(voila_url, released_course), timeout=90_000)
        page.wait_for_selector(READY, timeout=90_000)
        links = page.locator(".celltag_navigation a")
        assert links.count() >= 4
        for box in (links.nth(i).bounding_box() for i in range(links.count())):
            assert box and box["height"] >= 24, box
    finally:
        context.close()
