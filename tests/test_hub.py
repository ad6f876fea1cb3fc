"""A class on the course's JupyterHub, end to end: a real ``course hub`` (JupyterHub, its proxy from npm,
the learners' servers as their own system accounts, formgrader and the instructor page as services, the
web view), used by an instructor and five learners (one in Chromium, four through the hub's API and
their lessons' own kernels), and a second cohort beside them. The tests share one hub and run in order:
the class first, then the hub's limits, then a restart in the middle of the course."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import copy_course, free_port
from hubtools import PASSWORD, Person, account_of, answers_code, as_root, remove_accounts, start_hub
from learners import answer_key, answer_on_page, wrong_answer
from playwright.sync_api import expect
from webtools import NAVIGATION, fetch

from course_lib.content import load_lesson
from course_lib.layout import CourseLayout

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not as_root(), reason="the hub makes a system account per learner: run as root")]
COHORT, OTHER = "ot-in-special-education", "spring"
LESSON = "01-what-is-ot"
NOTEBOOK = f"{LESSON}/{LESSON}.ipynb"
SPANISH = f"{LESSON}/{LESSON}.es.ipynb"
LEARNERS = ["ana", "ben", "cho", "dee", "eli"]
OPEN = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ROSTER = """id,first_name,last_name,email
ana,Ana,Díaz,
Ben,Ben,Okafor,
cho,Cho,Park,
dee,Dee,"Smith, Jr.",
eli,Eli,Zoë,
Ana Díaz,Spaces,Unicode,
../etc,Dot,Dot,
ana,Twice,Listed,
"""


@pytest.fixture(scope="module")
def hub(released_course):
    """`course hub` for two cohorts, the course's cohort already released (as `course release` makes it)."""
    folder = Path(tempfile.mkdtemp(prefix="course-hub-", dir="/tmp"))
    folder.chmod(0o755)  # learners' accounts must reach their homes inside it
    try:
        root = copy_course(folder / "course")
        hub_dir = folder / "hub"
        grading = hub_dir / "courses" / COHORT / "grading"
        grading.mkdir(parents=True)
        for name in ("source", "release"):
            shutil.copytree(released_course.grading / name, grading / name)
        shutil.copy(released_course.gradebook, grading / "gradebook.db")
        (folder / "class.csv").write_text(ROSTER, encoding="utf-8")
        (folder / "spring.csv").write_text("id,first_name,last_name,email\nfay,Fay,Lee,\ngus,Gus,Moe,\n")
        (hub_dir / "hub.yaml").write_text("max_servers: 6\n", encoding="utf-8")
        running = start_hub(root, hub_dir, free_port(), "--instructor", "teacher", "--roster",
                            str(folder / "class.csv"), "--cohort", f"{OTHER}:{folder / 'spring.csv'}")
    except BaseException:
        remove_accounts(folder)
        raise
    yield running
    running.stop()
    remove_accounts(folder)


@pytest.fixture(scope="module")
def keys(hub):
    lesson = CourseLayout(hub.root).lesson(LESSON)
    content = load_lesson(lesson)
    key = {q: k for q, (k, _p) in answer_key(lesson).items()}
    points = {q: p for q, (_k, p) in answer_key(lesson).items()}
    wrong = {q: wrong_answer(content.questions[q], k) for q, k in key.items()}
    return key, wrong, points, next(iter(content.reflections))


def _press(person: Person, action: str, lesson: str = LESSON) -> str:
    """The instructor presses a button on their page; the page they get back."""
    page = person.web.get(f"{person.hub.url}/services/{COHORT}/course/class", timeout=120)
    assert page.status_code == 200, page.text[:500]
    xsrf = re.search(r"name='_xsrf' value='([^']+)'", page.text).group(1)
    done = person.web.post(f"{person.hub.url}/services/{COHORT}/course/class", timeout=900,
                           data={"_xsrf": xsrf, "action": action, "lesson": lesson})
    said = re.search(r"<div role='status'.*?</div>", done.text, re.S)
    assert done.status_code == 200 and "Done." in done.text, said.group(0)[-4000:] if said else done.text[-3000:]
    return done.text


def _log_in_on_the_page(page, hub, name: str) -> None:
    page.goto(f"{hub.url}/hub/login")
    expect(page.get_by_text("The first time, choose a password")).to_be_visible()
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _wait_until_ready(page) -> None:
    page.wait_for_selector(f"{OPEN}.course-lesson .course-question", state="attached", timeout=180_000)
    page.wait_for_selector(f"{OPEN} .course-notice", state="hidden", timeout=180_000)


def _answer_on_the_page(page, lesson_folder: Path, answers: dict) -> None:
    content = load_lesson(lesson_folder)
    for qid, value in answers.items():
        answer_on_page(page.locator(OPEN), content.questions[qid], value)


def test_a_class_hands_in_by_button_and_each_learner_gets_their_own_feedback(hub, keys, browser, tmp_path):
    key, wrong, points, rid = keys
    total = sum(points.values())
    first = next(iter(key))
    plan = {"ana": key, "ben": key, "cho": key, "dee": wrong, "eli": {**wrong, first: key[first]}}
    expected = {"ana": total, "ben": total, "cho": total, "dee": 0, "eli": points[first]}

    teacher = Person(hub, "teacher")
    assert teacher.logged_in
    landing = teacher.web.get(f"{hub.url}/hub/", timeout=120)
    assert landing.url.endswith(f"/services/{COHORT}/course/class") and "Class: ot-in-special-education" in landing.text
    page = _press(teacher, "release")
    assert re.search(rf"<h2>{LESSON}</h2><p>Given out", page)

    # four learners through the hub's API, answering in their lesson's own kernel; ben hands in twice,
    # cho answers in Spanish
    people = {name: Person(hub, name) for name in LEARNERS[1:]}
    assert all(p.logged_in for p in people.values())
    for person in people.values():
        person.start_server()
    for name, person in people.items():
        person.wait_for_file(NOTEBOOK)
        if name == "ben":
            said = person.run(NOTEBOOK, answers_code(wrong, None, rid))
            assert "Handed in." in said, said
        if name == "cho":  # in Spanish: the same lesson, handed in as one nbgrader assignment
            said = person.run(SPANISH, answers_code(plan[name], "El almuerzo y el recreo.", rid, "es"))
            assert "Entregada." in said and "Entregada el" in said and "entregarla otra vez" in said, said
            continue
        said = person.run(NOTEBOOK, answers_code(plan[name], "Lunch and recess.", rid))
        assert "Handed in." in said and "Handed in on" in said and "hand it in again" in said, said

    # ana in Chromium: log in on the page, the course home opens, the lesson is there, answer, press Hand in
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in_on_the_page(page, hub, "ana")
        page.wait_for_url(re.compile(r"/user/ana/lab/tree/00-course-home/index\.ipynb"), timeout=240_000)
        page.wait_for_selector(f"{OPEN} .jp-Notebook", timeout=180_000)
        for instructor_only in ("Formgrader", "Create Assignment", "Terminal"):
            expect(page.get_by_text(instructor_only, exact=True)).to_have_count(0)
        page.locator(OPEN).get_by_role("link", name="What is occupational therapy?").first.click()
        _wait_until_ready(page)
        _answer_on_the_page(page, CourseLayout(hub.root).lesson(LESSON), key)
        page.get_by_role("button", name="Hand in this lesson to my instructor").click()
        expect(page.locator(OPEN).get_by_text(re.compile(r"^Handed in on "))).to_be_visible(timeout=60_000)
        expect(page.get_by_role("button", name="Hand in again")).to_be_visible()

        # the instructor collects, grades and returns feedback, with the page's buttons
        page_text = _press(teacher, "collect")
        assert re.search(r"5 handed in · 5 collected", page_text), page_text
        assert re.search(r"5 graded", _press(teacher, "autograde"))
        _press(teacher, "return")

        # each learner's feedback arrives by itself, with their own score; nobody else's
        for name, person in people.items():
            listing = person.wait_for_file(f"{LESSON}/feedback", seconds=120)
            stamp = listing["content"][0]["name"]
            html = person.contents(f"{LESSON}/feedback/{stamp}/{LESSON}.html").json()["content"]
            said = f"Sus puntos: {expected[name]:g} de" if name == "cho" else f"Your score: {expected[name]:g} of"
            assert said in html, (name, html[:2000])
        page.get_by_role("button", name="Look for feedback").click()
        feedback = page.locator(OPEN).get_by_text("Your instructor has returned feedback.")
        expect(feedback).to_be_visible(timeout=60_000)
        expect(page.locator(OPEN).get_by_text(re.compile(rf"Your score: {total:g} of")).first).to_be_visible()
    except BaseException:
        page.screenshot(path=str(tmp_path / "hub-learner.png"), full_page=True)
        print(f"screenshot: {tmp_path / 'hub-learner.png'}")
        raise
    finally:
        context.close()

    # a hand-in after the instructor collected is reported as late, then collected, never lost
    said = people["cho"].run(NOTEBOOK, answers_code(key, "Lunch and recess, and art.", rid))
    assert "Handed in." in said
    late = teacher.web.get(f"{hub.url}/services/{COHORT}/course/class", timeout=120).text
    assert re.search(r"Handed in after you collected \(late, not collected yet\): cho\.", late), late
    assert "late, not collected yet" not in _press(teacher, "collect")
    graded = CourseLayout(hub.folder / "courses" / COHORT)
    assert "art." in (graded.submitted / "cho" / LESSON / "my-answers.json").read_text()
    inbound = list((hub.folder / "exchange" / COHORT / "inbound").glob(f"ben+{LESSON}+*"))
    assert len(inbound) == 2  # ben's two hand-ins are both kept; the later one was graded (his score above)


def test_a_hand_in_made_under_another_learners_id_is_never_collected_as_theirs(hub):
    ana, teacher = Person(hub, "ana"), Person(hub, "teacher")
    ana.start_server()
    theirs = CourseLayout(hub.folder / "courses" / COHORT).submitted / "dee" / LESSON / "my-answers.json"
    before = theirs.read_bytes()
    said = ana.run(NOTEBOOK, "import os\nfrom pathlib import Path\nos.environ['JUPYTERHUB_USER'] = 'dee'\n"
                             "from course_lib.hub.exchange import hand_in\n"
                             f"print('FORGED', hand_in(Path('..').resolve(), {LESSON!r}))\n")
    assert "FORGED" in said, said  # nbgrader's exchange takes it: a shared folder cannot tell
    _press(teacher, "collect")
    assert theirs.read_bytes() == before  # collect took dee's hand-in only from dee's own account


def test_one_learner_cannot_read_anothers_answers_through_the_hub_the_contents_api_or_the_disk(hub):
    ana, ben = Person(hub, "ana"), Person(hub, "ben")
    ana.start_server()
    assert ben.contents(f"{LESSON}/my-answers.json").status_code == 200
    assert ana.contents(f"{LESSON}/my-answers.json", owner="ben").status_code in (403, 404)
    assert ana.api("GET", "/hub/api/users/ben").status_code in (403, 404)
    assert ana.api("GET", "/hub/api/users").status_code == 403
    assert ana.api("POST", "/hub/api/users/ben/tokens", json={}).status_code in (403, 404)
    theirs = str(hub.folder / "home" / "ben" / LESSON / "my-answers.json")
    said = ana.run(NOTEBOOK, f"import os, resource\n"
                             f"try:\n    open({theirs!r}).read()\n    print('READ')\n"
                             f"except PermissionError:\n    print('REFUSED')\n"
                             f"print(os.getuid(), resource.getrlimit(resource.RLIMIT_DATA)[0])\n")
    assert "REFUSED" in said and "READ" not in said
    uid, limit = said.split()[-2:]
    assert int(uid) == account_of("ana").pw_uid and int(limit) == 1024 ** 3  # their own account; memory capped
    assert account_of("ben").pw_dir == str(hub.folder / "home" / "ben")
    assert (hub.folder / "home" / "ben").stat().st_mode & 0o077 == 0


def test_a_second_cohort_stays_apart_and_the_instructor_sees_both(hub):
    fay, teacher = Person(hub, "fay"), Person(hub, "teacher")
    fay.start_server()
    time.sleep(2)
    assert fay.contents(LESSON).status_code == 404  # the other cohort's lesson never reaches her
    waiting = fay.web.get(f"{hub.url}/user/fay/course/home", timeout=120)
    assert "Your instructor has not given out the course yet" in waiting.text
    assert fay.web.get(f"{hub.url}/services/{COHORT}/course/class", timeout=120).status_code == 403
    assert fay.web.get(f"{hub.url}/services/{COHORT}/formgrader", timeout=120).status_code == 403
    assert "Class: spring" in teacher.web.get(f"{hub.url}/services/{OTHER}/course/class", timeout=120).text
    assert teacher.web.get(f"{hub.url}/services/{COHORT}/formgrader", timeout=120).status_code == 200


def test_names_that_are_not_on_the_class_list_or_not_safe_get_nothing_even_in_a_flood(hub):
    before = {a.pw_name for a in __import__("pwd").getpwall()}
    for name in ("Ana Díaz", "../etc", "ZOË", "ana/../ben", "root", "x" * 40, "ana\n;id", " "):
        person = Person(hub, name)
        assert person.login.status_code == 403 and "not on the class list" in person.login.text, name
    flood = [Person(hub, f"made-up-{i}") for i in range(60)]
    assert all(p.login.status_code == 403 for p in flood)
    assert Person(hub, "ana", "not-her-password").login.status_code == 403  # her password stays hers
    assert Person(hub, "Ana").logged_in  # capitals fold to the listed name
    assert {a.pw_name for a in __import__("pwd").getpwall()} == before
    assert sorted(p.name for p in (hub.folder / "home").iterdir()) == sorted({*LEARNERS, "fay"})


def test_past_the_cap_a_learner_sees_the_course_is_full_in_plain_words(hub):
    gus = Person(hub, "gus")
    assert gus.logged_in
    full = gus.web.get(f"{hub.url}/hub/spawn", timeout=120)
    assert full.status_code == 429
    assert "The course is full right now" in full.text and "Try again in a few minutes" in full.text


def test_the_web_view_is_behind_the_same_door_with_no_login_and_its_defences(hub):
    lesson = fetch(f"{hub.url}/services/course-view/voila/render/{NOTEBOOK}", headers=NAVIGATION)
    assert lesson.status == 200 and "What is occupational therapy?" in lesson.body  # no login asked
    assert "frame-ancestors" in (lesson.headers.get("Content-Security-Policy") or "")
    assert "Right answer" not in lesson.body and "ot-definition" not in lesson.body.split("kernelId")[0]
    stranger = fetch(f"{hub.url}/services/course-view/", headers={**NAVIGATION, "Host": "evil.example"})
    assert stranger.status == 400


def test_the_hub_restarted_mid_course_loses_no_hand_in_answer_or_grade(hub):
    layout = CourseLayout(hub.folder / "courses" / COHORT)
    grades_before = _grades(layout)
    answers_before = (hub.folder / "home" / "ana" / LESSON / "my-answers.json").read_text()
    hub.stop()
    hub.proc = start_hub(hub.root, hub.folder, int(hub.url.rsplit(":", 1)[1])).proc  # no options: hub.yaml has them
    ana = Person(hub, "ana")
    assert ana.logged_in  # her password was kept
    ana.start_server()
    assert ana.contents(f"{LESSON}/my-answers.json").json()["content"] == answers_before
    assert _grades(layout) == grades_before and grades_before["ana"] > 0
    inbound = list((hub.folder / "exchange" / COHORT / "inbound").glob(f"*+{LESSON}+*"))
    assert len(inbound) == 8  # the class's 7 hand-ins, and the one forged as dee (kept, never collected)


def _grades(layout: CourseLayout) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{layout.gradebook}") as gb:
        return {s.id: gb.find_submission(LESSON, s.id).score for s in gb.students
                if any(a.name == LESSON for a in gb.assignments) and _has(gb, s.id)}


def _has(gb, learner: str) -> bool:
    try:
        gb.find_submission(LESSON, learner)
        return True
    except Exception:  # noqa: BLE001 - MissingEntry: not handed in
        return False
