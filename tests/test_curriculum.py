"""What the lessons say: every citation is a checked one, legal claims carry their source,
every acronym is in the glossary, and parents' reading level stays at about 8th grade or easier."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from course_lib.layout import CourseLayout
from course_lib.outline import load_outline
from course_lib.publish.citations import check_citations, learner_prose, readability

NOTEBOOKS = ROOT / "notebooks"
OUTLINE = load_outline(NOTEBOOKS)
NOT_ACRONYMS = {"US", "RE", "OK", "VI"}  # "US law"; "School Dist. RE-1" in the Endrew F. case name; "Title VI"


def test_every_citation_is_on_the_checked_list_and_every_legal_claim_has_a_source():
    assert check_citations(CourseLayout(ROOT)) == []


@pytest.fixture
def lesson_copy(tmp_path) -> Path:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns("my-answers*"))
    return notebooks


def _plant(notebooks: Path, text: str) -> str:
    lid = next(iter(OUTLINE.lessons))
    path = notebooks / lid / f"{lid}.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace('"## 1. ', f'"{text}\\n\\n## 1. ', 1),
                    encoding="utf-8")
    return lid


def test_a_mistyped_cfr_section_is_caught(lesson_copy):
    lid = _plant(lesson_copy, "Schools must answer within 10 days (34 CFR 300.902(a)).")
    assert any(lid in p and "300.902(a)" in p for p in check_citations(CourseLayout(lesson_copy.parent)))


def test_a_statute_claim_without_a_source_is_caught_and_passes_once_cited(lesson_copy):
    lid = _plant(lesson_copy, "The IDEA requires every school to offer swimming.")
    assert any(lid in p and "no source" in p for p in check_citations(CourseLayout(lesson_copy.parent)))
    fixed = _plant(shutil.copytree(NOTEBOOKS, lesson_copy.parent / "fixed" / "notebooks"),
                   "The IDEA requires a free appropriate public education (34 CFR 300.17).")
    assert not [p for p in check_citations(CourseLayout(lesson_copy.parent / "fixed")) if fixed in p]


@pytest.mark.parametrize("lesson", list(OUTLINE.lessons))
def test_every_acronym_a_lesson_uses_is_in_the_glossary(lesson):
    glossary = OUTLINE.glossary()
    known = {re.split(r"[ (/]", term)[0] for term in glossary} | NOT_ACRONYMS
    used = {a.removesuffix("s") for a in re.findall(r"\b[A-Z][A-Z0-9]{1,5}s?\b", learner_prose(NOTEBOOKS / lesson))}
    assert used - known == set()


@pytest.mark.parametrize("lesson", list(OUTLINE.lessons))
def test_lesson_prose_reads_at_about_8th_grade_or_easier(lesson):
    figures = readability(NOTEBOOKS / lesson)
    print(f"{lesson}: Flesch-Kincaid grade {figures['grade']:.1f}, {figures['words']} words")
    assert figures["words"] > 1000  # the measure read the whole lesson, not an empty string
    assert figures["grade"] <= 8.0, f"{lesson} reads at grade {figures['grade']:.1f}"


def test_a_rule_a_lesson_teaches_must_hold_in_its_pictures_alt_text_too(tmp_path):
    """The IEP-cycle picture once said "within 60 days of consent" where lesson 03 says the clock runs
    from the day the school receives it: the topics check reads what a lesson's pictures say."""
    from course_lib.publish.curriculum import topic_problems

    course = CourseLayout(ROOT).copy_sources(tmp_path / "course")
    assert [p for p in topic_problems(course) if p.startswith("04-")] == []
    alt = course.alt_text_file.read_text(encoding="utf-8")
    course.alt_text_file.write_text(alt.replace("receives the consent", "gets 60 days of consent"), encoding="utf-8")
    assert any(p.startswith("04-") and "60 days of consent" in p for p in topic_problems(course))
