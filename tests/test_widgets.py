"""What a learner sees when they click: feedback, saved answers, friendly refusals.

ipywidgets' Python side runs without a browser: setting a value and pressing a button fires the
same callbacks a browser message would. Tests use the views' own verbs, the ones a learner has:
choose, submit, show a hint, show the answer, and read the feedback.
"""

import json

import course_lib
from course_lib import modes
from course_lib.scenarios import ScenarioRun
from course_lib.store import ANSWERS_FILE


def _open(sample, mode="learn"):
    return course_lib.open_lesson(sample, mode=mode)


def test_self_check_shows_feedback_for_the_option_chosen(sample):
    view = _open(sample).self_check("pick-one")
    view.choose("a")
    assert view.submit()
    assert "Not quite" in view.feedback and "A is not it." in view.feedback
    view.choose("b")
    view.submit()
    assert "Right." in view.feedback and "B is it." in view.feedback


def test_check_with_nothing_chosen_asks_to_choose_first_and_keeps_nothing(sample):
    view = _open(sample).self_check("pick-one")
    assert view.submit() is False
    assert "Please choose an answer first" in view.feedback
    assert not (sample / ANSWERS_FILE).exists()


def test_a_forged_browser_value_gets_a_friendly_message_not_a_traceback(sample):
    view = _open(sample).question("g-single")
    assert view.submit("<img src=x onerror=alert(1)>") is False
    assert "not one of the choices" in view.feedback
    assert "<img" not in view.status.value
    assert not (sample / ANSWERS_FILE).exists()


def test_hints_come_one_at_a_time_and_the_button_goes_when_they_run_out(sample):
    view = _open(sample).self_check("pick-one")
    assert view.feedback == "" and "Show a hint" in [b.description for b in view.actions.children]
    view.show_hint()
    assert "It is the second one." in view.feedback
    assert "Show a hint" not in [b.description for b in view.actions.children]


def test_tick_all_feedback_does_not_give_the_whole_answer_away_on_a_first_try(sample):
    view = _open(sample).self_check("pick-many")
    view.choose(["a"])
    view.submit()
    assert "Right: Option A" in view.feedback and "One right answer is not chosen yet" in view.feedback
    assert "Option C" not in view.feedback
    view.show_answer()
    assert "Also right: Option C — C fits." in view.feedback


def test_after_a_wrong_single_choice_the_answer_is_named_as_the_right_one_not_also_right(sample):
    view = _open(sample).self_check("pick-one")
    view.choose("a")
    view.submit()
    view.show_answer()
    assert "Not this one: Option A" in view.feedback and "The right answer: Option B" in view.feedback
    assert "Also right" not in view.feedback


def test_a_checked_sorting_says_which_items_were_placed_wrong(sample):
    lesson = _open(sample)
    q = next(q for q in lesson.content.questions.values() if q.kind == "sort")
    view = lesson.question(q.id)
    first, *rest = q.options
    wrong = next(c.id for c in q.categories if c.id != q.key[first.id])
    view.choose({first.id: wrong, **{o.id: q.key[o.id] for o in rest}})
    view.submit()
    check = lesson.check_lesson()
    next(b for b in check.widget.children if getattr(b, "description", "") == "Check my lesson").click()
    result = course_lib.views.text_of(check.widget.children[-1].value)
    assert f"Not right: {first.text} → {q.category(wrong).text}" in result
    assert all(f"Right: {o.text} → {q.category(q.key[o.id]).text}" in result for o in rest)


def test_the_answer_is_offered_only_after_a_try(sample):
    view = _open(sample).self_check("pick-many")
    assert "Show the answer" not in [b.description for b in view.actions.children]
    view.show_answer()
    assert view.feedback == ""
    view.choose(["b"])
    view.submit()
    assert "Show the answer" in [b.description for b in view.actions.children]


def test_a_cohort_learners_graded_answer_is_saved_without_saying_if_it_is_right(sample):
    from course_lib.content import read_raw, withhold_keys

    cohort = withhold_keys(read_raw(sample))
    (sample / "lesson.yaml").write_text(json.dumps(cohort))
    view = _open(sample).question("g-multi")
    view.choose(["a", "c"])
    view.submit()
    assert "Saved." in view.feedback and "instructor will grade" in view.feedback
    assert "Right" not in view.feedback and "Not quite" not in view.feedback
    assert course_lib.open_lesson(sample).store.get("questions/g-multi") == ["a", "c"]


def test_a_self_paced_learner_checks_the_lesson_and_sees_what_was_right_and_why(sample):
    lesson = _open(sample)
    single = lesson.question("g-single")
    single.choose("a")
    single.submit()
    assert "Saved." in single.feedback and "Check my lesson" in single.feedback
    assert "Right answer" not in single.feedback  # not before the learner asks
    check = lesson.check_lesson()
    next(b for b in check.widget.children if getattr(b, "description", "") == "Check my lesson").click()
    result = course_lib.views.text_of(check.widget.children[-1].value)
    assert "Your score: 0 of 6 points (2 questions not answered yet)" in result
    assert "Your answer: Option A" in result and "A is a common mix-up." in result
    assert "Right answer: Option B" in result and "Why: Because B." in result
    assert course_lib.open_lesson(sample).store.get("checked/lesson") == {"score": 0, "max": 6, "unanswered": 2}


def test_a_visitor_sees_the_result_of_a_graded_question_at_once_and_nothing_is_kept(sample):
    lesson = _open(sample, mode="view")
    lesson.header()
    view = lesson.question("g-multi")
    assert view.submit_button.description == "Check my answer"
    view.choose(["a", "c"])
    view.submit()
    assert "Right." in view.feedback and "Points: 2 of 2" in view.feedback and "is kept" in view.feedback
    assert sorted(p.name for p in sample.iterdir()) == ["lesson.yaml"]


def test_answers_are_shown_again_when_the_lesson_is_reopened(sample):
    lesson = _open(sample)
    sort = lesson.question("g-sort")
    sort.choose({"i1": "ot", "i2": "pt", "i3": "ot", "i4": "pt"})
    sort.submit()
    reflection = lesson.reflection("think")
    reflection.write("Lunch boxes are hard to open.")
    reflection.submit()

    reopened = _open(sample)  # a kernel restart: nothing kept in memory
    again = reopened.question("g-sort")
    assert again.input.value() == {"i1": "ot", "i2": "pt", "i3": "ot", "i4": "pt"}
    assert "from last time" in again.feedback
    assert reopened.reflection("think").text.value == "Lunch boxes are hard to open."


def test_a_changed_but_unsaved_answer_comes_back_after_a_restart_and_says_so(sample):
    lesson = _open(sample)
    view = lesson.question("g-single")
    view.choose("a")
    view.submit()
    view.choose("c")  # changed, not saved
    reopened = _open(sample).question("g-single")
    assert reopened.input.value() == "c"
    assert "did not save it" in reopened.feedback
    assert course_lib.open_lesson(sample).store.get("questions/g-single") == "a"  # the saved answer is unchanged
    reopened.submit()
    assert _open(sample).store.get("drafts/questions/g-single") is None


def test_sort_with_an_item_left_unplaced_is_not_saved(sample):
    view = _open(sample).question("g-sort")
    view.choose({"i1": "ot"})
    view.submit()
    assert "every item" in view.feedback
    assert course_lib.open_lesson(sample).store.get("questions/g-sort") is None


def test_the_web_view_mode_is_chosen_from_the_environment(monkeypatch):
    assert course_lib.current_mode() is modes.LEARN
    monkeypatch.setenv("VOILA_KERNEL_ID", "x")
    assert course_lib.current_mode() is modes.VIEW
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert course_lib.current_mode() is modes.GRADE


def test_reflection_that_is_too_long_is_refused_kindly(sample):
    view = _open(sample).reflection("think")
    view.write("word " * 2000)
    view.submit()
    assert "shorten" in view.feedback
    assert course_lib.open_lesson(sample).store.get("reflections/think") is None


def test_a_saved_reflection_shows_what_a_strong_answer_includes_to_a_learner_alone(sample):
    view = _open(sample).reflection("think")
    assert "strong answer" not in view.feedback
    view.write("It matters because lunch is part of the day.")
    view.submit()
    assert "Saved." in view.feedback and "Names one thing." in view.feedback


def test_an_unexpected_error_in_a_callback_shows_a_calm_message(sample, monkeypatch):
    lesson = _open(sample)
    view = lesson.question("g-single")

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(lesson.store, "save", broken)
    view.choose("a")
    view.submit()
    assert "something went wrong" in view.feedback.lower()
    assert "Traceback" not in view.status.value and "disk full" not in view.status.value


# -- scenarios ---------------------------------------------------------------------------

def test_a_scenario_can_be_played_to_an_ending_and_back(sample):
    player = _open(sample).scenario("walk")
    assert player.text == "Start here." and player.choices == ["Go left", "Go right"]
    player.press("Go left")
    assert "Left is fine." in player.feedback and player.choices == ["Continue", "Back"]
    player.press("Continue")
    assert player.text == "Middle."
    player.press("Finish")
    player.press("Continue")
    assert player.text == "You went left." and "The end of this story" in player.feedback
    player.press("Back")
    assert player.text == "Middle."
    player.press("Back")
    player.press("Go right")
    player.press("Continue")
    assert player.text == "You went right."
    player.press("Start again")
    assert player.text == "Start here."


def test_a_long_story_frees_the_widgets_it_replaces(sample):
    from ipywidgets.widgets.widget import _instances

    player = _open(sample).scenario("walk")
    before = len(_instances)
    for _ in range(20):
        player.press("Go left")
        player.press("Back")
    assert len(_instances) <= before + 2  # the live widgets a browser would hold


def test_scenario_progress_is_restored_after_a_restart(sample):
    player = _open(sample).scenario("walk")
    player.press("Go left")
    player.press("Continue")
    assert _open(sample).scenario("walk").text == "Middle."


def test_a_stale_or_forged_scenario_click_is_ignored(sample):
    scenario = course_lib.load_lesson(sample).scenarios["walk"]
    run = ScenarioRun(scenario)
    assert not run.choose("b", 0)  # a button from a step not showing
    assert not run.choose("a", 7) and not run.choose("a", "0") and not run.choose("a", True)
    assert run.choose("a", 0) and not run.choose("a", 1)  # one choice at a time
    assert ScenarioRun(scenario, ["a", "end-right", "b"]).path == ["a"]  # a saved path that cannot happen


def test_a_lesson_opened_in_the_course_source_folder_never_saves_answers(tmp_path):
    import shutil

    from conftest import FIXTURES

    (tmp_path / "grading").mkdir()
    (tmp_path / "grading" / "nbgrader_config.py").write_text("")
    folder = shutil.copytree(FIXTURES / "99-sample", tmp_path / "notebooks" / "99-sample")
    lesson = course_lib.open_lesson(folder)
    assert lesson.mode is modes.PREVIEW
    lesson.question("g-single").submit("a")
    assert not (folder / ANSWERS_FILE).exists()
