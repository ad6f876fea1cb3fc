"""Lesson data is checked before a learner ever sees it; authors get messages they can act on."""

import pytest
import yaml

from course_lib.content import LessonError, load_lesson, parse_lesson


def _sample_data(sample):
    return yaml.safe_load((sample / "lesson.yaml").read_text())


def test_sample_lesson_loads_with_all_its_parts(sample):
    lesson = load_lesson(sample)
    assert lesson.title == "Sample lesson"
    assert set(lesson.questions) == {"g-single", "g-multi", "g-sort"}
    assert lesson.self_checks["pick-one"].option("b").correct
    assert lesson.scenarios["walk"].steps["end-left"].is_ending


def test_missing_lesson_file_says_where_to_open_the_notebook(tmp_path):
    with pytest.raises(LessonError, match="Open the lesson notebook from its own folder"):
        load_lesson(tmp_path)


def test_graded_question_that_carries_its_answer_is_refused(sample):
    data = _sample_data(sample)
    data["questions"]["g-single"]["options"][1]["correct"] = True
    with pytest.raises(LessonError, match="must not carry 'correct'.*hidden test"):
        parse_lesson(data)


def test_graded_sort_item_with_answer_is_refused(sample):
    data = _sample_data(sample)
    data["questions"]["g-sort"]["items"][0]["answer"] = "ot"
    with pytest.raises(LessonError, match="must not carry 'answer'"):
        parse_lesson(data)


def test_self_check_without_feedback_is_refused(sample):
    data = _sample_data(sample)
    del data["self_checks"]["pick-one"]["options"][0]["feedback"]
    with pytest.raises(LessonError, match="needs feedback"):
        parse_lesson(data)


def test_single_choice_self_check_needs_exactly_one_right_option(sample):
    data = _sample_data(sample)
    data["self_checks"]["pick-one"]["options"][0]["correct"] = True
    with pytest.raises(LessonError, match="exactly one option"):
        parse_lesson(data)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s["steps"]["a"]["choices"][0].update(next="nowhere"), "not a step"),
        (lambda s: s["steps"].update(island={"ending": True, "text": "x"}), "never be reached"),
        (lambda s: (s["steps"]["a"]["choices"].append({"text": "t", "feedback": "f", "next": "loop"}),
                    s["steps"].update(loop={"text": "x", "choices": [{"text": "t", "feedback": "f", "next": "loop"}]})),
         "no ending can be reached"),
        (lambda s: s.update(start="zzz"), "start step"),
    ],
)
def test_broken_scenario_graphs_are_refused(sample, change, message):
    data = _sample_data(sample)
    change(data["scenarios"]["walk"])
    with pytest.raises(LessonError, match=message):
        parse_lesson(data)


def test_error_names_the_field_to_fix(sample):
    data = _sample_data(sample)
    data["minutes"] = "soon"
    with pytest.raises(LessonError, match="minutes"):
        parse_lesson(data, where="lesson.yaml")


def test_an_unquoted_comma_that_would_cut_an_option_short_is_refused():
    # in YAML's {...} form a comma ends the text: "b, c" became text "b" plus a field named "c"
    raw = yaml.safe_load("{id: a, text: Helps with writing, reading and play}")
    assert raw["text"] == "Helps with writing"
    data = {"id": "x", "title": "X", "minutes": 5, "audiences": ["parent"], "objectives": ["o"],
            "key_points": ["k"], "sources": ["s"],
            "questions": {"q": {"kind": "single", "prompt": "P", "options": [raw, {"id": "b", "text": "B"}]}}}
    with pytest.raises(LessonError, match=r"unknown field.*reading and play.*put the text in quotes"):
        parse_lesson(data)


def test_a_misspelt_field_is_refused_rather_than_ignored(sample):
    data = _sample_data(sample)
    data["self_checks"]["pick-one"]["hnit"] = "typo"
    with pytest.raises(LessonError, match=r"self_checks.pick-one.*unknown field.*hnit"):
        parse_lesson(data)
