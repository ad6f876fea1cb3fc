"""Lesson data is checked before a learner ever sees it; authors get messages they can act on."""

import pytest
import yaml

from course_lib.content import LessonError, load_lesson, parse_lesson, withhold_keys


def _sample_data(sample):
    return yaml.safe_load((sample / "lesson.yaml").read_text())


def test_sample_lesson_loads_with_all_its_parts(sample):
    lesson = load_lesson(sample)
    assert lesson.title == "Sample lesson"
    assert set(lesson.questions) == {"g-single", "g-multi", "g-sort"}
    assert lesson.self_checks["pick-one"].key == "b"
    assert lesson.questions["g-multi"].key == ("a", "c") and lesson.questions["g-multi"].points == 2
    assert lesson.reflections["think"].rubric == ("Names one thing.", "Says why it matters.")
    assert lesson.scenarios["walk"].steps["end-left"].is_ending
    assert lesson.has_keys and lesson.graded_points == 6 and lesson.manual_points == 2


def test_missing_lesson_file_says_where_to_open_the_notebook(tmp_path):
    with pytest.raises(LessonError, match="Open the lesson notebook from its own folder"):
        load_lesson(tmp_path)


def test_the_cohort_edition_has_no_keys_why_feedback_or_rubric(sample):
    data = _sample_data(sample)
    cohort = parse_lesson(withhold_keys(data))
    assert cohort.edition == "cohort" and not cohort.has_keys
    assert all(q.key is None and q.why == "" and not any(o.feedback for o in q.options)
               for q in cohort.questions.values())
    assert cohort.reflections["think"].rubric is None and cohort.reflections["think"].points == 2
    assert cohort.self_checks["pick-one"].key == "b"  # practice keeps its answers: marked at once
    assert data["questions"]["g-single"]["options"][1]["correct"] is True  # the source is left as it was


def test_cohort_data_that_still_carries_a_key_is_refused(sample):
    data = withhold_keys(_sample_data(sample))
    data["questions"]["g-single"]["options"][1]["correct"] = True
    with pytest.raises(LessonError, match=r"questions.g-single.*unknown field.*correct"):
        parse_lesson(data)


@pytest.mark.parametrize("change, message", [
    (lambda q: q["options"][1].pop("correct"), "exactly one option with correct: true"),
    (lambda q: q["options"][0].update(correct=True), "exactly one option"),
    (lambda q: q["options"][1].update(correct="yes"), "must be true or false"),
    (lambda q: q.update(points=0), "points.*greater than 0"),
    (lambda q: q.update(points="two"), "points.*greater than 0"),
    (lambda q: q.pop("points"), "missing field 'points'"),
    (lambda q: q["options"][0].update(feedbak="typo"), "unknown field.*feedbak"),
])
def test_a_graded_question_whose_key_or_points_do_not_fit_is_refused(sample, change, message):
    data = _sample_data(sample)
    change(data["questions"]["g-single"])
    with pytest.raises(LessonError, match=message):
        parse_lesson(data)


def test_a_sort_answer_must_be_one_of_its_places(sample):
    data = _sample_data(sample)
    data["questions"]["g-sort"]["items"][0]["answer"] = "xx"
    with pytest.raises(LessonError, match="answer must be one of the category ids"):
        parse_lesson(data)


def test_self_check_without_feedback_is_refused(sample):
    data = _sample_data(sample)
    del data["self_checks"]["pick-one"]["options"][0]["feedback"]
    with pytest.raises(LessonError, match="needs feedback"):
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
            "self_checks": {"q": {"kind": "single", "prompt": "P", "options": [raw, {"id": "b", "text": "B"}]}}}
    with pytest.raises(LessonError, match=r"unknown field.*reading and play.*put the text in quotes"):
        parse_lesson(data)


def test_a_misspelt_field_is_refused_rather_than_ignored(sample):
    data = _sample_data(sample)
    data["self_checks"]["pick-one"]["hnit"] = "typo"
    with pytest.raises(LessonError, match=r"self_checks.pick-one.*unknown field.*hnit"):
        parse_lesson(data)
