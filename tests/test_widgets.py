"""What a learner sees when they click: feedback, saved answers, friendly refusals.

ipywidgets' Python side runs without a browser: setting ``.value`` and calling ``.click()``
fires the same callbacks a browser message would.
"""

import course_lib
from course_lib.scenarios import ScenarioRun
from course_lib.store import ANSWERS_FILE


def _open(sample, mode="learn"):
    return course_lib.open_lesson(sample, mode=mode)


def test_self_check_shows_feedback_for_the_option_chosen(sample):
    lesson = _open(sample)
    lesson.self_check("pick-one")
    view = lesson.views["self_checks/pick-one"]
    view.radio.value = "a"
    view.submit_button.click()
    assert "Not quite" in view.status.value and "A is not it." in view.status.value
    view.radio.value = "b"
    view.submit_button.click()
    assert "Right." in view.status.value and "B is it." in view.status.value


def test_check_with_nothing_chosen_asks_to_choose_first(sample):
    lesson = _open(sample)
    lesson.self_check("pick-one")
    view = lesson.views["self_checks/pick-one"]
    view.submit_button.click()
    assert "Please choose an answer first" in view.status.value
    assert not (sample / ANSWERS_FILE).exists()


def test_a_forged_browser_value_gets_a_friendly_message_not_a_traceback(sample):
    lesson = _open(sample)
    lesson.question("g-single")
    view = lesson.views["questions/g-single"]
    assert view.submit("<img src=x onerror=alert(1)>") is False
    assert "not one of the choices" in view.status.value
    assert "<img" not in view.status.value
    assert not (sample / ANSWERS_FILE).exists()


def test_hint_is_shown_on_request(sample):
    lesson = _open(sample)
    lesson.self_check("pick-one")
    view = lesson.views["self_checks/pick-one"]
    assert view.hint_box.value == ""
    view.hint_button.click()
    assert "It is the second one." in view.hint_box.value


def test_graded_answer_is_saved_without_revealing_if_it_is_right(sample):
    lesson = _open(sample)
    lesson.question("g-multi")
    view = lesson.views["questions/g-multi"]
    view.boxes["a"].value = True
    view.boxes["c"].value = True
    view.submit_button.click()
    assert "Saved." in view.status.value
    assert "Right" not in view.status.value and "Not quite" not in view.status.value
    assert course_lib.open_lesson(sample).store.get("questions/g-multi") == ["a", "c"]


def test_answers_are_shown_again_when_the_lesson_is_reopened(sample):
    lesson = _open(sample)
    lesson.question("g-sort")
    view = lesson.views["questions/g-sort"]
    for item, cat in {"i1": "ot", "i2": "pt", "i3": "ot", "i4": "pt"}.items():
        view.dropdowns[item].value = cat
    view.submit_button.click()
    lesson.reflection("think")
    lesson.views["reflections/think"].text.value = "Lunch boxes are hard to open."
    lesson.views["reflections/think"].save_button.click()

    reopened = _open(sample)  # a kernel restart: nothing kept in memory
    reopened.question("g-sort")
    reopened.reflection("think")
    assert {i: d.value for i, d in reopened.views["questions/g-sort"].dropdowns.items()} == \
        {"i1": "ot", "i2": "pt", "i3": "ot", "i4": "pt"}
    assert "from last time" in reopened.views["questions/g-sort"].status.value
    assert reopened.views["reflections/think"].text.value == "Lunch boxes are hard to open."


def test_sort_with_an_item_left_unplaced_is_not_saved(sample):
    lesson = _open(sample)
    lesson.question("g-sort")
    view = lesson.views["questions/g-sort"]
    view.dropdowns["i1"].value = "ot"
    view.submit_button.click()
    assert "every item" in view.status.value
    assert not (sample / ANSWERS_FILE).exists()


def test_web_view_saves_nothing_and_says_so(sample, capsys):
    lesson = _open(sample, mode="view")
    lesson.header()
    lesson.question("g-single")
    view = lesson.views["questions/g-single"]
    view.radio.value = "a"
    view.submit_button.click()
    assert "not kept" in view.status.value
    assert sorted(p.name for p in sample.iterdir()) == ["lesson.yaml"]


def test_the_web_view_mode_is_chosen_from_the_environment(monkeypatch):
    assert course_lib.current_mode() == "learn"
    monkeypatch.setenv("VOILA_KERNEL_ID", "x")
    assert course_lib.current_mode() == "view"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert course_lib.current_mode() == "grade"


def test_reflection_that_is_too_long_is_refused_kindly(sample):
    lesson = _open(sample)
    lesson.reflection("think")
    view = lesson.views["reflections/think"]
    view.text.value = "word " * 2000
    view.save_button.click()
    assert "shorten" in view.status.value
    assert not (sample / ANSWERS_FILE).exists()


def test_an_unexpected_error_in_a_callback_shows_a_calm_message(sample, monkeypatch):
    lesson = _open(sample)
    lesson.question("g-single")
    view = lesson.views["questions/g-single"]

    def broken(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(lesson.store, "save", broken)
    view.radio.value = "a"
    view.submit_button.click()
    assert "something went wrong" in view.status.value.lower()
    assert "Traceback" not in view.status.value


# -- scenarios ---------------------------------------------------------------------------

def _buttons(player):
    import ipywidgets as w

    found, todo = [], [player.widget]
    while todo:
        node = todo.pop(0)
        if isinstance(node, w.Button):
            found.append(node)
        todo.extend(getattr(node, "children", ()))
    return {b.description: b for b in found}


def test_a_scenario_can_be_played_to_an_ending_and_back(sample):
    lesson = _open(sample)
    lesson.scenario("walk")
    player = lesson.views["scenarios/walk"]
    _buttons(player)["Go left"].click()
    assert "Left is fine." in player.body.children[1].value
    _buttons(player)["Continue"].click()
    assert "Middle." in player.body.children[0].value
    _buttons(player)["Finish"].click()
    _buttons(player)["Continue"].click()
    texts = " ".join(getattr(c, "value", "") for c in player.body.children)
    assert "You went left." in texts and "The end of this scenario" in texts
    _buttons(player)["Back"].click()
    assert "Middle." in player.body.children[0].value
    _buttons(player)["Back"].click()
    _buttons(player)["Go right"].click()
    _buttons(player)["Continue"].click()
    assert "You went right." in player.body.children[0].value
    _buttons(player)["Start again"].click()
    assert "Start here." in player.body.children[0].value


def test_scenario_progress_is_restored_after_a_restart(sample):
    lesson = _open(sample)
    lesson.scenario("walk")
    _buttons(lesson.views["scenarios/walk"])["Go left"].click()
    _buttons(lesson.views["scenarios/walk"])["Continue"].click()
    again = _open(sample)
    again.scenario("walk")
    assert "Middle." in again.views["scenarios/walk"].body.children[0].value


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
    assert lesson.mode == "preview"
    lesson.question("g-single")
    lesson.views["questions/g-single"].submit("a")
    assert not (folder / ANSWERS_FILE).exists()
