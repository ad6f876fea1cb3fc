"""The course in Spanish, built, graded and read like the English one (issue 20, items 3 to 6).

A copy of the course with its parents' track offered in Spanish (every lesson translated so far:
tests/conftest.py's ``spanish_course``) goes through ``course release`` (nbgrader), the self-paced
edition, ``course autograde``, feedback and the grades export; learners answer the same questions in
each language and score the same; a Spanish lesson is walked in Chromium, in the web view on a
375 px phone and in the learner's JupyterLab.
"""

from __future__ import annotations

import csv
import json
import re

import nbformat
import pytest
from conftest import spanish_course
from learners import answer_key, hand_in, run_notebook, wrong_answer

from course_lib import instructor, translation
from course_lib.content import load_lesson, read_raw, withhold_keys
from course_lib.layout import COURSE_HOME, CourseLayout
from course_lib.lessons import open_lesson
from course_lib.publish import SELF_PACED, languages, run
from course_lib.publish.leaks import scan_release
from course_lib.publish.nbgrader import run_nbgrader
from course_lib.views import text_of

pytestmark = pytest.mark.slow
LID = "01-what-is-ot"
STAMP = "2026-11-20 10:15:00.000000 UTC"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    layout = CourseLayout(spanish_course(tmp_path_factory.mktemp("spanish")))
    instructor.release(layout, say=lambda _line: None)
    run(SELF_PACED, layout)
    return layout


# -- the editions ---------------------------------------------------------------------------------------------
def test_the_release_has_each_lesson_in_spanish_beside_the_english_without_any_key(course):
    folder = course.release / LID
    assert {f"{LID}.ipynb", f"{LID}.es.ipynb", "lesson.yaml", "lesson.es.yaml"} <= {p.name for p in folder.iterdir()}
    cohort = withhold_keys(read_raw(course.lesson(LID)))
    released = translation.load_translation(folder, "es")
    assert translation.problems(cohort, {}, released, "release") == []  # the cohort's words, no withheld one
    assert scan_release(course) == []
    nb = nbformat.read(folder / f"{LID}.es.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "from course_lib import lesson_es as lesson" in code and "lesson.grade(" not in code
    assert nb.metadata["course"]["language"] == "es"
    home = {p.name for p in (course.release / COURSE_HOME).iterdir()}
    assert {"index.ipynb", "index.es.ipynb", "glossary.es.ipynb"} <= home


def test_nbgrader_grades_one_notebook_per_lesson_whatever_the_language(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course.gradebook}") as gb:
        assert [n.name for n in gb.find_assignment(LID).notebooks] == [LID]


def test_the_spanish_lesson_and_pages_run_top_to_bottom_in_a_fresh_kernel(course, tmp_path):
    import shutil

    for n, path in enumerate((course.self_paced / LID / f"{LID}.es.ipynb", course.self_paced / "index.es.ipynb",
                              course.self_paced / "progress.es.ipynb", course.release / LID / f"{LID}.es.ipynb")):
        copy = shutil.copytree(path.parent, tmp_path / str(n))
        nb = run_notebook(copy / path.name)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert errors == [], (path, errors[:1])


def test_no_english_sentence_is_left_on_a_spanish_page(course, tmp_path):
    import shutil

    said = []
    for path in (course.self_paced / "index.es.ipynb", course.self_paced / "glossary.es.ipynb",
                 course.self_paced / "progress.es.ipynb", course.self_paced / LID / f"{LID}.es.ipynb"):
        said += [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]
    folder = shutil.copytree(course.self_paced / LID, tmp_path / LID)
    lesson = open_lesson(folder, "learn", "es")
    parts = [lesson.header(), lesson.graded_intro(), lesson.key_points(), lesson.glossary(), lesson.sources(),
             lesson.check_lesson()]
    parts += [lesson.question(q) for q in lesson.content.questions] + [lesson.self_check(q) for q in
                                                                       lesson.content.self_checks]
    parts += [lesson.scenario(s) for s in lesson.content.scenarios]
    parts += [lesson.reflection(r) for r in lesson.content.reflections]
    said += [_widget_text(getattr(p, "widget", p)) for p in parts]
    found = [s for text in said for s in languages.english_sentences(text, "es")]
    assert found == []
    assert "Revisar mi lección" in " ".join(said) and "¿Qué haría usted?" in " ".join(said)


def _widget_text(widget) -> str:
    """Everything a widget shows: its HTML, label, placeholder and options, and its children's."""
    parts = [text_of(str(getattr(widget, name, "") or "")) for name in ("value", "description", "placeholder",
                                                                         "tooltip") if isinstance(
        getattr(widget, name, None), str)]
    parts += [str(label) for label in getattr(widget, "_options_labels", ())]
    parts += [_widget_text(child) for child in getattr(widget, "children", ())]
    return " ".join(p for p in parts if p)


# -- graded the same ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graded(course):
    """The same learners twice: once answering in English, once in Spanish (through the widgets of each
    notebook in a real kernel), graded together by the course's commands."""
    keys = answer_key(course.lesson(LID))
    content = load_lesson(course.lesson(LID))
    right = {q: k for q, (k, _p) in keys.items()}
    some = {q: (k if i % 2 else wrong_answer(content.questions[q], k)) for i, (q, (k, _p)) in enumerate(keys.items())}
    wrong = {q: wrong_answer(content.questions[q], k) for q, (k, _p) in keys.items()}
    people = {"all": right, "some": some, "none": wrong}
    for name, answers in people.items():
        for language in ("en", "es"):
            learner = f"{name}-{language}"
            run_nbgrader(course, "db", "student", "add", learner, f"--first-name={name}", "--last-name=Learner")
            folder = hand_in(course.release / LID, course.submitted, learner, answers, "Importa el recreo.", language)
            (folder / "timestamp.txt").write_text(STAMP)
    report = instructor.autograde(course, say=lambda _line: None)
    instructor.feedback(course)
    instructor.export_grades(course)
    return people, report


def test_the_same_answers_score_the_same_in_english_and_in_spanish(course, graded):
    people, report = graded
    with course.grades_csv.open(encoding="utf-8-sig", newline="") as f:
        rows = {(r["learner_id"], r["lesson"]): r for r in csv.DictReader(f)}
    scores = {}
    for name in people:
        en, es = rows[(f"{name}-en", LID)], rows[(f"{name}-es", LID)]
        assert (en["language"], es["language"]) == ("en", "es")  # the CSV says which language each used
        assert en["auto_score"] == es["auto_score"] and en["status"] == es["status"] == "needs manual grading"
        assert es["problems"] == "", es["problems"]  # the Spanish notebook handed in is part of the lesson
        scores[name] = float(en["auto_score"])
    assert scores["all"] > scores["some"] > scores["none"]
    assert report.count("graded") == 6


def test_each_learner_reads_their_feedback_in_the_language_they_answered_in(course, graded):
    es = (course.feedback / "some-es" / LID / f"{LID}.html").read_text(encoding="utf-8")
    en = (course.feedback / "some-en" / LID / f"{LID}.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in es and "Sus comentarios" in es and "Respuesta correcta:" in es
    assert "Your feedback" not in es and "Right answer:" not in es
    assert '<html lang="en">' in en and "Your feedback" in en and "Right answer:" in en
    title = load_lesson(course.lesson(LID), "es").title
    assert title in es
    body = re.sub(r"<style.*?</style>|<[^>]+>", " ", es, flags=re.S)
    assert languages.english_sentences(body, "es") == []


# -- a Spanish lesson in the browser ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spanish_view(course):
    from conftest import start_voila, stop

    proc, url = start_voila(course.self_paced, course.root / "voila-es.log")
    yield url
    stop(proc)


def test_a_spanish_lesson_in_the_web_view_on_a_phone(browser, spanish_view, course):
    from playwright.sync_api import expect

    content = load_lesson(course.lesson(LID), "es")
    qid, question = next(iter(content.questions.items()))
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(spanish_view + "/es/", wait_until="domcontentloaded")
        page.wait_for_url(re.compile(r"index\.es\.ipynb"), timeout=60_000)
        page.wait_for_selector("text=Para padres y tutores", timeout=90_000)
        assert page.get_attribute("html", "lang") == "es"
        english = page.locator('span[lang="en"] a', has_text="English").first
        assert english.get_attribute("href").endswith("index.ipynb")
        page.get_by_role("link", name=content.title).first.click()
        page.wait_for_url(re.compile(rf"{LID}\.es\.ipynb"), timeout=60_000)
        page.wait_for_selector(".course-question", timeout=90_000)
        assert page.get_attribute("html", "lang") == "es"
        card = page.locator(".course-question").filter(has_text=question.prompt.split("\n")[0][:40]).last
        card.get_by_label(question.option(question.key).text, exact=True).check()
        card.get_by_role("button", name="Revisar mi respuesta", exact=True).click()
        expect(card).to_contain_text("Respuesta correcta:", timeout=30_000)
        expect(card).to_contain_text("Nada de lo que elija o escriba aquí se guarda.")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 375 + 1, f"the page is {wide} px wide on a 375 px phone"
        body = page.inner_text("body")
        assert languages.english_sentences(body, "es") == []
        assert page.locator('span[lang="en"] a', has_text="English").first.get_attribute("href").endswith(
            f"{LID}.ipynb")
    finally:
        context.close()


def test_a_spanish_lesson_in_the_learners_jupyterlab(browser, course, tmp_path):
    import os
    import subprocess
    import time
    import urllib.request

    from conftest import free_port

    from course_lib.learner import lab
    from course_lib.workspace import sync_workspace

    workspace = tmp_path / "workspace"
    sync_workspace(course.self_paced, workspace)
    state = workspace / ".jupyter"
    state.mkdir(exist_ok=True)
    port, token = free_port(), lab.learner_token(state)
    cmd, env = lab.lab_command(workspace, port, token, "es")
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(cmd, env=env, cwd=workspace, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    content = load_lesson(course.lesson(LID), "es")
    qid, question = next(iter(content.questions.items()))
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "lab.log").read_text()[-2000:]
                time.sleep(0.5)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{LID}/{LID}.es.ipynb?token={token}")
        page.wait_for_selector("text=Archivo", timeout=120_000)  # JupyterLab's own menus in Spanish
        card = page.locator(".course-question").filter(has_text=question.prompt.split("\n")[0][:40]).last
        card.wait_for(timeout=120_000)
        card.get_by_label(question.option(question.key).text, exact=True).check()
        card.get_by_role("button", name="Guardar mi respuesta", exact=True).click()
        card.get_by_text("Guardado.").wait_for(timeout=30_000)
        saved = json.loads((workspace / LID / "my-answers.json").read_text(encoding="utf-8"))
        assert saved["language"] == "es" and saved["answers"][f"questions/{qid}"]["value"] == question.key
        context.close()
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()
