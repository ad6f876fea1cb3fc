"""A translated lesson keeps the English lesson's structure: only its words change."""

from __future__ import annotations

import shutil

import pytest
import yaml
from conftest import FIXTURES

from course_lib import translation
from course_lib.content import parse_lesson
from course_lib.reader import LessonError


@pytest.fixture
def lesson():
    raw = yaml.safe_load((FIXTURES / "99-sample" / "lesson.yaml").read_text(encoding="utf-8"))
    cells = {"text-01": "## Why\n\nSee 34 CFR 300.34(c)(6) and [the glossary](../glossary.ipynb)."}
    return raw, cells


def test_a_skeleton_filled_with_the_english_gives_back_the_english_lesson(lesson):
    raw, cells = lesson
    tr = yaml.safe_load(yaml.safe_dump(translation.skeleton(raw, cells), allow_unicode=True))
    assert translation.problems(raw, cells, tr, "es") == []
    assert translation.translate(raw, cells, tr, "es") == (raw, cells)


def test_a_translated_lesson_has_new_words_and_the_same_keys_and_points(lesson):
    raw, cells = lesson
    tr = translation.skeleton(raw, cells)
    qid, question = next(iter(tr["questions"].items()))
    question["prompt"] = "¿Pregunta traducida?"
    es, _cells = translation.translate(raw, cells, tr, "es")
    english, spanish = parse_lesson(raw), parse_lesson(es)
    assert spanish.questions[qid].prompt == "¿Pregunta traducida?"
    assert [(q.id, q.key, q.points) for q in spanish.questions.values()] == \
        [(q.id, q.key, q.points) for q in english.questions.values()]


def test_a_missing_an_extra_a_structural_and_a_changed_citation_are_each_named(lesson):
    raw, cells = lesson
    tr = translation.skeleton(raw, cells)
    del tr["title"]
    tr["subtitle"] = "no existe"
    qid, question = next(iter(tr["questions"].items()))
    question["points"] = 99
    tr["cells"]["text-01"] = "Vea 34 CFR 300.34(c)(9) y [el glosario](../glossary.ipynb)."
    found = "\n".join(translation.problems(raw, cells, tr, "lesson.es.yaml"))
    assert "no translation for title" in found
    assert "subtitle is not a text of the English lesson" in found
    assert f"questions.{qid}.points is structure" in found
    assert "cells.text-01 cites ['34 CFR 300.34(c)(9)']" in found
    with pytest.raises(LessonError, match="no translation for title"):
        translation.translate(raw, cells, tr, "lesson.es.yaml")


def test_the_translators_command_checks_a_lesson_folder(tmp_path, capsys):
    folder = tmp_path / "99-sample"
    shutil.copytree(FIXTURES / "99-sample", folder)
    assert translation.main(["check", str(folder), "es"]) == 1
    assert "no 'es' translation" in capsys.readouterr().out
    assert translation.main(["skeleton", str(folder), "es"]) == 0
    assert translation.main(["check", str(folder), "es"]) == 0
