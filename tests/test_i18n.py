"""One mechanism for every language: the interface's words in message catalogs, a lesson's in its
translation; a Spanish-speaking learner reads Spanish everywhere and keeps their answers (issue 20)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import jinja2
import pytest
import yaml
from conftest import ROOT, spanish_course

from course_lib import i18n, preference
from course_lib.layout import CourseLayout
from course_lib.lessons import open_lesson
from course_lib.publish import languages, messages
from course_lib.views import text_of


@pytest.fixture
def lesson_es(tmp_path):
    """Lesson 01 of the self-paced edition's data, with its Spanish words, in a learner's folder."""
    folder = tmp_path / "01-what-is-ot"
    shutil.copytree(ROOT / "notebooks" / "01-what-is-ot", folder)
    return folder


# -- the catalogs --------------------------------------------------------------------------------------------
def test_every_message_of_the_code_has_its_translation_in_every_catalog():
    assert "es" in i18n.languages()
    assert messages.catalog_problems() == []


def test_no_interface_text_is_left_outside_the_catalogs():
    assert messages.untranslated_literals() == [], "wrap it: t._(\"...\"), or N_(\"...\") where it is defined"


def test_the_literal_check_finds_a_sentence_left_in_the_code(tmp_path):
    module = tmp_path / "page.py"
    module.write_text('def page(t):\n    """A docstring is not said."""\n'
                      '    raise ValueError("nor is an error for authors")\n'
                      '    return t._("Saved.") + "<p>Your answer was kept here.</p>"\n', encoding="utf-8")
    found = messages.untranslated_literals((str(module),))
    assert len(found) == 1 and "Your answer was kept here." in found[0]


def test_templates_say_their_words_through_the_catalogs():
    """The feedback page's words are messages; the web view's come from the notebook (its metadata)."""
    env = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.i18n"])
    prose = []
    for path in (ROOT / "course_lib").rglob("*.j2"):
        for node in env.parse(path.read_text(encoding="utf-8")).find_all(jinja2.nodes.TemplateData):
            text = messages._NOT_TEXT.sub(" ", node.data)
            if "<style" not in node.data and messages._PROSE.search(text):
                prose.append(f"{path.name}: {' '.join(node.data.split())[:60]}")
    assert prose == []


def test_a_spanish_page_says_its_words_in_spanish_and_keeps_each_field():
    t = i18n.language("es")
    assert t._("Saved.") == "Guardado."
    assert t._("{earned} of {points}", earned=2, points=4) == "2 de 4"
    assert t.ngettext("({n} question not answered yet)", "({n} questions not answered yet)", 2) == \
        "(faltan responder 2 preguntas)"
    assert t.date(date(2025, 3, 15)) == "15 de marzo de 2025"
    assert i18n.ENGLISH.date(date(2025, 3, 15)) == "March 15, 2025"
    assert t.name == "Español" and i18n.ENGLISH.name == "English"
    assert i18n.known("es") == "es" and i18n.known("../etc") is None and i18n.known(7) is None


# -- a lesson in Spanish ---------------------------------------------------------------------------------------
def test_a_lesson_in_spanish_has_spanish_words_the_english_keys_and_points(lesson_es):
    english, spanish = open_lesson(lesson_es, "learn"), open_lesson(lesson_es, "learn", "es")
    said = text_of(spanish.header().value)
    assert "Lo que va a aprender" in said and "Cómo usar esta lección" in said
    assert [(q.id, q.key, q.points) for q in spanish.content.questions.values()] == \
        [(q.id, q.key, q.points) for q in english.content.questions.values()]
    qid, q = next(iter(spanish.content.questions.items()))
    view = spanish.question(qid)
    assert view.submit_button.description == "Guardar mi respuesta"
    view.choose(q.key if not isinstance(q.key, tuple) else list(q.key))
    assert view.submit() and "Guardado." in view.feedback


def test_a_learner_who_switches_language_keeps_their_answers(lesson_es):
    spanish = open_lesson(lesson_es, "learn", "es")
    qid, q = next(iter(spanish.content.questions.items()))
    view = spanish.question(qid)
    view.choose(q.key if not isinstance(q.key, tuple) else list(q.key))
    assert view.submit()
    saved = json.loads((lesson_es / "my-answers.json").read_text(encoding="utf-8"))
    assert saved["language"] == "es" and f"questions/{qid}" in saved["answers"]
    english = open_lesson(lesson_es, "learn").question(qid)  # the same answers file, the same id
    assert "Your answer from last time is shown." in english.feedback
    assert english.input.value() == view.input.value()


def test_the_grader_speaks_the_language_the_learner_answered_in(lesson_es, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    spanish = open_lesson(lesson_es, "learn", "es")
    qid, q = next(iter(spanish.content.questions.items()))
    view = spanish.question(qid)
    view.choose(q.key if not isinstance(q.key, tuple) else list(q.key))
    assert view.submit()
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    InteractiveShell.instance()
    grader = open_lesson(lesson_es, "grade")
    assert grader.t.code == "es" and grader.grade(qid) == q.points
    assert "Respuesta correcta:" in shown[-1] and "Right answer:" not in shown[-1]
    data = json.loads((lesson_es / "my-answers.json").read_text(encoding="utf-8"))
    (lesson_es / "my-answers.json").write_text(json.dumps({**data, "language": "../../x"}), encoding="utf-8")
    assert open_lesson(lesson_es, "grade").t.code == "en"  # a forged language is English, and scores the same


def test_a_reflection_too_long_is_refused_in_the_learners_language(lesson_es):
    spanish = open_lesson(lesson_es, "learn", "es")
    view = spanish.reflection(next(iter(spanish.content.reflections)))
    view.write("palabra " * 1000)
    assert not view.submit() and "Su reflexión tiene 7,999 caracteres" in view.feedback


# -- finding English in a Spanish text --------------------------------------------------------------------------
def test_an_english_sentence_in_spanish_text_is_found_and_names_and_citations_are_not():
    found = languages.english_sentences(
        "Su hijo tiene derecho a una evaluación (34 CFR 300.502). Jordan y la Sra. Lee hablan con el OT. "
        "Pida un aviso previo por escrito (prior written notice) a la escuela. "
        "Your child has the right to an evaluation at no cost to you.", "es")
    assert found == ["Your child has the right to an evaluation at no cost to you."]
    assert languages.english_sentences('<span lang="en">Letters you can send the school: the IEP and more</span>',
                                        "es") == []


def test_nothing_english_is_left_in_the_spanish_catalog_or_the_spanish_lessons():
    layout = CourseLayout(ROOT)
    found = [f"{where}: {s}" for where, texts in languages.texts_in(layout, "es").items()
             for text in texts for s in languages.english_sentences(text, "es")]
    assert found == []


# -- parity, and a track offered in Spanish ------------------------------------------------------------------------
def test_a_track_offered_in_spanish_needs_every_lesson_in_spanish(tmp_path):
    layout = CourseLayout(spanish_course(tmp_path))
    assert languages.parity_problems(layout) == []
    course = yaml.safe_load(layout.course_file.read_text(encoding="utf-8"))
    missing = next(lid for lid in course["tracks"]["aide"]["lessons"]
                   if not (layout.lesson(lid) / "lesson.es.yaml").is_file())
    course["tracks"]["parent"]["lessons"].append(missing)
    layout.course_file.write_text(yaml.safe_dump(course, allow_unicode=True), encoding="utf-8")
    (layout.notebooks / "course.es.yaml").write_text("title: Curso\n", encoding="utf-8")
    found = "\n".join(languages.parity_problems(layout))
    assert f"but {missing} has no {missing}/lesson.es.yaml" in found
    assert "course.es.yaml: no translation for summary" in found


def test_spanish_lessons_read_easily_enough(tmp_path):
    pytest.importorskip("textstat")
    layout = CourseLayout(spanish_course(tmp_path))
    figures = languages.ease_by_lesson(layout, "es")
    assert "01-what-is-ot" in figures
    assert all(ease >= languages.MIN_EASE["es"] for ease in figures.values()), figures
    assert languages.ease_problems(layout) == []


# -- choosing the language -------------------------------------------------------------------------------------------
def test_make_start_takes_the_language_from_its_command_line_only():
    def start(*args, **env):
        out = subprocess.run(["make", "-n", "start", *args], cwd=ROOT, capture_output=True, text=True,
                             env={"PATH": "/usr/bin:/bin", **env}).stdout
        return out.strip().splitlines()[-1]

    assert start("LANGUAGE=es").endswith("--language es")
    assert start("LANG=es").endswith("--language es")
    assert "--language" not in start(LANGUAGE="en_US:en", LANG="en_US.UTF-8")


def test_the_learners_choice_is_kept_in_their_workspace_and_opens_jupyterlab_in_it(tmp_path):
    from course_lib.learner import lab

    (tmp_path / ".jupyter").mkdir()
    preference.remember("es", tmp_path)
    assert preference.remembered(tmp_path) == "es"
    (tmp_path / ".jupyter" / "course-language").write_text("<script>", encoding="utf-8")
    assert preference.remembered(tmp_path) is None
    cmd, _env = lab.lab_command(tmp_path, 8899, "t" * 48, "es")
    assert "--LabApp.default_url=/lab/tree/index.es.ipynb" in cmd
    settings = json.loads((tmp_path / ".jupyter" / preference.LAB_LANGUAGE).read_text(encoding="utf-8"))
    assert settings["locale"] == "es_ES"  # JupyterLab's menus in Spanish: its language pack is installed
    lab.lab_command(tmp_path, 8899, "t" * 48, "en")
    assert json.loads((tmp_path / ".jupyter" / preference.LAB_LANGUAGE).read_text(encoding="utf-8"))["locale"] == "en"


def test_the_web_views_own_pages_speak_the_language_of_the_page_asked_for():
    from course_lib.web import pages

    es = pages.language_for("/voila/render/01-what-is-ot/01-what-is-ot.es.ipynb")
    busy = pages.busy("/x", pages.home_in("/", es), es)
    assert es.code == "es" and '<html lang="es">' in busy and "El curso está ocupado" in busy
    assert "index.es.ipynb" in busy
    assert pages.language_for("/es/").code == "es" and pages.language_for("/voila/render/index.ipynb").code == "en"
    assert pages.language_for("/voila/render/x.zz.ipynb").code == "en"


def test_a_tools_words_are_looked_up_in_its_language_over_the_same_structure(tmp_path):
    """The seam for the bilingual letters (a later step): tools.<language>.yaml holds words only."""
    from course_lib import translation
    from course_lib.tools.content import TOOLS_STRUCTURE, ToolsError, load_tools

    folder = shutil.copytree(ROOT / "notebooks" / "tools", tmp_path / "tools")
    raw = yaml.safe_load((folder / "tools.yaml").read_text(encoding="utf-8"))
    words = translation._nested(translation.english_texts(raw, {}, TOOLS_STRUCTURE))
    letter = next(iter(words["letters"]))
    words["letters"][letter]["title"] = "Carta de prueba"
    (folder / "tools.es.yaml").write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    english, spanish = load_tools(folder), load_tools(folder, "es")
    assert spanish.letters[letter].title == "Carta de prueba" and english.letters[letter].title != "Carta de prueba"
    assert [f.max for f in spanish.fields.values()] == [f.max for f in english.fields.values()]
    words["fields"][next(iter(words["fields"]))]["max"] = 5
    (folder / "tools.es.yaml").write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ToolsError, match="structure, not words"):
        load_tools(folder, "es")


# -- the progress page and the completion record in Spanish ------------------------------------------------------
def test_the_progress_page_and_completion_record_in_spanish(tmp_path):
    from course_lib.content import dump, read_raw, with_edition
    from course_lib.documents import files, to_pdf
    from course_lib.outline import load_outline
    from course_lib.progress import _track_html, completion_record, track_progress
    from course_lib.store import CHECKED_LESSON, ResponseStore

    source = CourseLayout(spanish_course(tmp_path / "course"))
    mine = tmp_path / "mine"
    for lid in source.lesson_ids:
        (mine / lid).mkdir(parents=True)
        (mine / lid / "lesson.yaml").write_text(dump(with_edition(read_raw(source.lesson(lid)), "self-paced")))
        if (source.lesson(lid) / "lesson.es.yaml").is_file():
            shutil.copy(source.lesson(lid) / "lesson.es.yaml", mine / lid)
    for name in ("course.yaml", "course.es.yaml"):
        shutil.copy(source.notebooks / name, mine / name)
    outline = load_outline(mine, "es")
    track = outline.tracks["parent"]
    for lid in track.lessons:  # answered in English: the same answers count in Spanish
        content, store = outline.lessons[lid], ResponseStore(mine / lid / "my-answers.json", lid)
        for q in content.questions.values():
            store.save(q.store_key, q.key)
        for r in content.reflections.values():
            store.save(r.store_key, "Mi reflexión.")
        store.save(CHECKED_LESSON, {"score": content.graded_points, "max": content.graded_points, "unanswered": 0})
    rows = track_progress(mine, outline, track)
    t = i18n.language("es")
    page = text_of(_track_html(outline, track, rows, t))
    assert "Para padres y tutores" in page and "Terminada" in page and "Terminó todas las lecciones" in page
    assert f"{rows[0].lesson_id}.es.ipynb" in _track_html(outline, track, rows, t)
    doc = completion_record(outline, track, rows, "Zoë Ñúñez", date(2026, 11, 25), t)
    text = files(doc, t)[f"{doc.slug}.txt"][0]
    assert "Zoë Ñúñez terminó la ruta para padres del curso" in text and "25 de noviembre de 2026" in text
    assert "No es una licencia" in text and languages.english_sentences(text, "es") == []
    assert '<html lang="es">' in files(doc, t)[f"{doc.slug}.html"][0] and to_pdf(doc) is not None
