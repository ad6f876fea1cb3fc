"""The course as a whole: tracks, pages, navigation, and ``course check``, which reports every
problem an author can make as a sentence, never a traceback."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT

from course_lib.content import LessonContent, parse_lesson, read_raw
from course_lib.layout import CourseLayout
from course_lib.outline import load_outline
from course_lib.publish.checks import check_sources, guessing_problems, translated_lessons
from course_lib.publish.pages import navigation
from course_lib.questions import MultipleChoice, Option, SingleChoice
from course_lib.reader import LessonError

FIRST = "01-what-is-ot"
LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)\)")


def make_course(root: Path, tracks: dict[str, list[str]], extra: tuple[str, ...] = ()) -> CourseLayout:
    """A course of copies of lesson 01 under other ids, with ``tracks`` as its outline."""
    layout = CourseLayout(root)
    for lid in sorted({*extra, *(lid for ids in tracks.values() for lid in ids)}):
        folder = shutil.copytree(ROOT / "notebooks" / FIRST, layout.lesson(lid), ignore=shutil.ignore_patterns("my-*"))
        data = (folder / "lesson.yaml").read_text(encoding="utf-8")
        (folder / "lesson.yaml").write_text(data.replace(f"id: {FIRST}", f"id: {lid}")
                                            .replace("title: What is", f"title: {lid} What is"), encoding="utf-8")
        (folder / f"{FIRST}.ipynb").rename(layout.lesson_notebook(lid))
    outline = {"title": "Test course", "summary": "For tests.",
               "tracks": {t: {"title": f"Track {t}", "lessons": ids} for t, ids in tracks.items()}}
    layout.course_file.write_text(yaml.safe_dump(outline), encoding="utf-8")
    shutil.copy(ROOT / "notebooks" / "citations.yaml", layout.notebooks)
    shutil.copytree(ROOT / "assets", layout.assets)
    layout.grading.mkdir()
    shutil.copy(ROOT / "grading" / "nbgrader_config.py", layout.grading)
    return layout


@pytest.fixture
def course(tmp_path) -> CourseLayout:
    return make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]})


def _edit_data(layout: CourseLayout, lid: str, change) -> None:
    path = layout.lesson(lid) / "lesson.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _edit_notebook(layout: CourseLayout, lid: str, change) -> None:
    path = layout.lesson_notebook(lid)
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def _code(nb, needle: str):
    return next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)


def test_the_course_as_committed_has_no_problems():
    layout = CourseLayout(ROOT)
    outline = load_outline(layout.notebooks)
    assert set(outline.tracks) == {"parent", "aide"}
    assert {lid for t in outline.tracks.values() for lid in t.lessons} == set(outline.lessons)
    assert check_sources(layout) == []


def test_a_track_that_names_a_missing_lesson_is_refused_by_name(tmp_path):
    layout = make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]})
    layout.course_file.write_text(layout.course_file.read_text().replace("- 01-a", "- 01-a\n    - 07-gone", 1))
    with pytest.raises(LessonError, match="07-gone"):
        load_outline(layout.notebooks)
    assert any("07-gone" in p for p in check_sources(layout))


def test_a_lesson_in_no_track_is_reported(tmp_path):
    layout = make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]}, extra=("02-lost",))
    assert any("02-lost" in p and "no track" in p for p in check_sources(layout))


def test_each_lesson_links_home_glossary_and_its_neighbours_in_each_track(tmp_path):
    layout = make_course(tmp_path, {"parent": ["01-a", "02-b", "03-c"], "aide": ["01-a", "03-c"]})
    outline = load_outline(layout.notebooks)
    middle = navigation(outline, "02-b")
    assert "[Course home](../index.ipynb)" in middle and "(../glossary.ipynb)" in middle
    assert "lesson 2 of 3" in middle
    assert "previous: [01-a What is" in middle and "(../01-a/01-a.ipynb)" in middle
    assert "next: [03-c What is" in middle and "(../03-c/03-c.ipynb)" in middle
    assert "Aides' track" not in middle  # 02-b is not in the aides' track
    last = navigation(outline, "03-c")
    assert "Parents' track**, lesson 3 of 3" in last and "Aides' track**, lesson 2 of 2" in last
    assert last.count("last lesson of the track") == 2


@pytest.mark.parametrize("break_it, expected", [
    (lambda d: d["questions"]["ot-definition"].update(points=0), "points' must be a number greater than 0"),
    (lambda d: d["questions"]["ot-definition"]["options"][0].update(correct="yes"), "must be true or false"),
    (lambda d: d["questions"]["ot-definition"]["options"][0].update(feedbak="x"), "unknown field(s) ['feedbak']"),
    (lambda d: d["questions"]["who-leads"]["items"][0].update(answer="pe"), "answer must be one of the category"),
    (lambda d: d["questions"]["jordan-at-school"]["options"][0].update(correct=True) or
        [o.pop("correct", None) for o in d["questions"]["ot-definition"]["options"]], "exactly one option"),
    (lambda d: d["questions"].update(extra={"kind": "single", "points": 1, "skill": "apply", "prompt": "P?",
                                            "options": [{"id": "a", "text": "A", "correct": True},
                                                        {"id": "b", "text": "B"}]}),
     "defines questions.extra, but no cell shows it"),
    (lambda d: d["reflections"]["everyday-activity"].pop("rubric"), "missing field 'rubric'"),
])
def test_a_data_mistake_is_reported_as_a_problem_naming_where_it_is(course, break_it, expected):
    _edit_data(course, "01-a", break_it)
    problems = check_sources(course)
    assert any(expected in p and "01-a" in p for p in problems), problems


def test_every_data_mistake_of_a_lesson_is_reported_not_just_the_first(course):
    def two(d):
        d["questions"]["ot-definition"]["points"] = -1
        d["self_checks"]["what-ot-means"]["options"][0].pop("feedback")
    _edit_data(course, "01-a", two)
    problems = check_sources(course)
    assert any("ot-definition" in p for p in problems) and any("what-ot-means" in p for p in problems)


@pytest.mark.parametrize("break_it, expected", [
    (lambda nb: setattr(_code(nb, 'question("jordan-at-school")'), "source", 'lesson.question("ot-aeras")'),
     "shows a question that lesson.yaml does not define"),
    (lambda nb: setattr(_code(nb, 'question("jordan-at-school")'), "source", "lesson.question(SOME_NAME)"),
     "takes one id in quotes"),
    (lambda nb: setattr(_code(nb, 'question("jordan-at-school")'), "source", "import os\nos.system('ls')"),
     "only calls like lesson.question"),
    (lambda nb: setattr(_code(nb, 'question("jordan-at-school")'), "source", "lesson.question('jordan-at-school'"),
     "not valid Python"),
    (lambda nb: nb.cells.append(nbformat.v4.new_code_cell('lesson.question("jordan-at-school")')), "appears 2 times"),
    (lambda nb: nb.cells.remove(_code(nb, "graded_intro")), "add lesson.graded_intro()"),
    (lambda nb: nb.cells.append(nbformat.v4.new_code_cell('lesson.picture("nowhere.svg")')), "'nowhere.svg' needs"),
    (lambda nb: nb.cells[0].metadata.update(nbgrader={"grade": False}), "carries nbgrader metadata"),
    (lambda nb: nb.cells.append(nbformat.v4.new_markdown_cell("Choose Run in JupyterLab.")), "mentions JupyterLab"),
])
def test_a_notebook_mistake_is_reported_as_a_problem(course, break_it, expected):
    _edit_notebook(course, "01-a", break_it)
    problems = check_sources(course)
    assert any(expected in p and "01-a" in p for p in problems), problems


def test_unreadable_data_is_a_problem_not_a_traceback(course):
    (course.lesson("01-a") / "lesson.yaml").write_text("title: [unclosed", encoding="utf-8")
    problems = check_sources(course)
    assert any("not valid YAML" in p for p in problems)


def test_unreadable_tools_data_is_a_problem_not_a_silent_pass(course):
    shutil.copytree(ROOT / "notebooks" / "tools", course.tools)
    assert not [p for p in check_sources(course) if p.startswith("tools")]
    (course.tools / "tools.yaml").write_text("letters: [unclosed", encoding="utf-8")
    assert any(p.startswith("tools:") and "tools.yaml" in p for p in check_sources(course))


def test_keys_a_learner_could_guess_by_position_are_reported(tmp_path):
    layout = make_course(tmp_path, {"parent": ["01-a", "02-b"], "aide": ["01-a", "02-b"]})

    def first_is_right(d):
        for q in d["questions"].values():
            if q["kind"] == "single":
                for o in q["options"]:
                    o.pop("correct", None)
                q["options"][0]["correct"] = True
    for lid in ("01-a", "02-b"):
        _edit_data(layout, lid, first_is_right)
    assert any("guessed by position" in p and "option 1" in p for p in check_sources(layout))


# -- keys a learner could guess by length (issue 18): a parent who always picked the longest answer scored 86%
def _single(qid: str, key: str, *wrong: str) -> SingleChoice:
    options = (Option("k", key), *(Option(f"w{i}", text) for i, text in enumerate(wrong)))
    return SingleChoice(id=qid, prompt="?", options=options, graded=True, key="k", points=1, skill="apply")


def _course(*questions) -> dict[str, LessonContent]:
    return {"01-a": LessonContent(id="01-a", title="A", minutes=5, audiences=("parent",), objectives=(),
                                  key_points=(), sources=(), questions={q.id: q for q in questions})}


def _by_length(lessons) -> list[str]:
    return [p for p in guessing_problems(lessons) if "by length" in p]


def test_a_key_much_longer_than_every_wrong_option_is_named():
    found = _by_length(_course(_single("long", "x" * 40, "y" * 20, "z" * 50),  # 0.8: the key is not the longest
                               _single("longer", "x" * 40, "y" * 30, "z" * 20),  # 1.33 and 10 characters more
                               _single("yes", "Yes", "No", "Maybe not")))  # 1.5, but by one character
    assert [p.split(": ")[1] for p in found if "times as long" in p] == ["questions.longer"]
    assert "1.33 times as long as the longest wrong one (at most 1.3)" in found[0]


def test_keys_that_are_the_longest_option_too_often_are_reported():
    often = _course(*(_single(f"q{i}", "x" * 32, "y" * 30, "z" * 10, "w" * 20) for i in range(3)))
    assert any("in 3 of 3 single-choice graded questions the longest option is right" in p and "01 q0" in p
               for p in _by_length(often))
    varied = _course(_single("q0", "x" * 32, "y" * 30, "z" * 10), _single("q1", "x" * 25, "y" * 30, "z" * 10),
                     _single("q2", "x" * 5, "y" * 30, "z" * 10))  # longest, second, shortest
    assert _by_length(varied) == []


def test_keys_at_one_other_length_rank_too_often_are_reported():
    second = _course(*(_single(f"q{i}", "x" * 25, "y" * 30, "z" * 10) for i in range(5)))
    assert any("in 5 of 5 single-choice graded questions the second longest option is right" in p
               for p in _by_length(second))


def test_right_options_of_a_tick_question_longer_than_the_wrong_ones_are_reported():
    def ticks(qid, right_length):
        options = (Option("a", "x" * right_length), Option("b", "y" * 30), Option("c", "z" * right_length),
                   Option("d", "w" * 30))
        return MultipleChoice(id=qid, prompt="?", options=options, graded=True, key=("a", "c"), points=2,
                              skill="apply")
    found = _by_length(_course(ticks("m1", 60), ticks("m2", 30), ticks("m3", 30)))
    assert any("questions.m1" in p and "right options are on average 2.00 times as long" in p for p in found)
    assert not any("questions.m2" in p for p in found)


def test_each_translation_is_held_to_the_length_check_too(tmp_path):
    layout = make_course(tmp_path, {"parent": ["01-a", "02-b", "03-c"], "aide": ["01-a"]})
    english = [p for p in check_sources(layout) if "questions.ot-and-attendance" in p]
    for lid in ("01-a", "02-b", "03-c"):
        path = layout.lesson(lid) / "lesson.es.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["questions"]["ot-and-attendance"]["options"]["c"]["text"] += " Hable con el equipo, y vuelva a " \
            "hablar con el equipo cuando pasen unas semanas, para ver si Jordan va más contento a la escuela."
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    spanish = [p for p in check_sources(layout) if "questions.ot-and-attendance" in p]
    assert english == [] and len(spanish) == 3
    assert all(p.startswith(f"{lid}/lesson.es.yaml: questions.ot-and-attendance: the answer can be guessed by "
                            "length") for p, lid in zip(spanish, ("01-a", "02-b", "03-c"), strict=True))


def test_the_course_checks_every_lesson_it_has_in_spanish():
    layout = CourseLayout(ROOT)
    lessons = {lid: parse_lesson(read_raw(layout.lesson(lid))) for lid in layout.lesson_ids}
    assert set(translated_lessons(layout, lessons)["es"]) == \
        {p.parent.name for p in layout.notebooks.glob("*/lesson.es.yaml")}


@pytest.mark.slow
def test_every_edition_has_a_course_home_and_glossary_and_every_link_leads_somewhere(released_course):
    outline = load_outline(released_course.notebooks)
    for edition, pages, up in ((released_course.release, released_course.release / "00-course-home", "../"),
                               (released_course.self_paced, released_course.self_paced, "")):
        home = json.loads((pages / "index.ipynb").read_text())
        text = "\n".join("".join(c["source"]) for c in home["cells"])
        for track in outline.tracks.values():
            assert f"## {track.title}" in text
            listed = LINK.findall(text.split(f"## {track.title}")[1].split("\n## ")[0])
            assert listed == [f"{up}{lid}/{lid}.ipynb" for lid in track.lessons]
        glossary = "".join("".join(c["source"]) for c in json.loads((pages / "glossary.ipynb").read_text())["cells"])
        for term in outline.glossary():
            assert f"<dt>{term}</dt>" in glossary.replace("&#x27;", "'")
        pages = [p for p in edition.rglob("*.ipynb")]
        for page in pages:
            for cell in json.loads(page.read_text())["cells"]:
                for target in LINK.findall("".join(cell["source"])):
                    assert (page.parent / target).resolve().is_file(), f"{page} links to missing {target}"
    assert (released_course.self_paced / "progress.ipynb").is_file()
    assert not (released_course.release / "progress.ipynb").exists()


def test_the_source_has_no_links_to_pages_that_exist_only_in_an_edition():
    for lid in CourseLayout(ROOT).lesson_ids:
        nb = json.loads(CourseLayout(ROOT).lesson_notebook(lid).read_text(encoding="utf-8"))
        assert not any(LINK.findall("".join(c["source"])) for c in nb["cells"]), lid


def test_the_course_home_counts_and_names_every_letter_from_the_tools_data(tmp_path):
    from course_lib.publish.pages import ToolPage
    from course_lib.render import number
    from course_lib.tools.content import load_tools

    layout = CourseLayout(ROOT).copy_sources(tmp_path / "course")
    path = layout.tools / "tools.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    notebook = nbformat.read(layout.tools / "letters.ipynb", as_version=4)
    for _ in ("as it is", "with one letter more"):
        tools = load_tools(layout.tools)
        page = ToolPage.of(notebook, "letters.ipynb", tools.summaries())
        assert f"{number(len(data['letters']))} letters" in page.summary
        assert all(letter.title[1:] in page.summary for letter in tools.letters.values())
        first = next(iter(data["letters"].values()))
        data["letters"]["new-one"] = {**first, "title": "Ask for something new"}
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_readme_lists_the_lessons_and_tools_as_the_course_has_them(tmp_path):
    from course_lib.publish.readme import stale_parts, update_readme

    assert stale_parts(CourseLayout(ROOT)) == [], "the README is stale: run `course readme` (make readme)"
    layout = CourseLayout(ROOT).copy_sources(tmp_path / "course")
    shutil.copy(ROOT / "README.md", layout.root)
    _edit_data(layout, FIRST, lambda d: d.update(title="What does an OT do?"))
    assert stale_parts(layout) == ["lessons"]
    assert update_readme(layout) == ["lessons"] and stale_parts(layout) == []
    assert "| 01 | What does an OT do? | 1 | 1 |" in (layout.root / "README.md").read_text(encoding="utf-8")
