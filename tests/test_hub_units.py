"""The hub's parts that need no hub: class lists, logins, the instructor page's view of the exchange,
the hand-in record, and a cohort lesson that does not load nbgrader until Hand in is pressed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib import handin, i18n
from course_lib.hub import instructor
from course_lib.hub.settings import Cohort, HubSettings, grader_name, normal_name, system_name
from course_lib.layout import CourseLayout


def test_a_login_is_one_safe_shape_capitals_fold_and_nothing_else_is_renamed():
    assert normal_name("Ana") == "ana" and normal_name(" ben.o-k_1 ") == "ben.o-k_1"
    for bad in ("Ana Díaz", "zoë", "../etc", "a/b", "", ".hidden", "-x", "x" * 25, "ana\n;rm", "=HYPERLINK(1)"):
        assert normal_name(bad) is None, bad
    assert system_name("root") == "learner-root" and len(grader_name("a" * 40)) <= 32
    assert grader_name("spring") == "course-grader-spring" and not system_name("x").startswith("course-")


def test_a_class_list_keeps_the_good_rows_and_names_every_row_left_out(tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("\ufeffid,first_name,last_name,email\nAna,Ana,Díaz,a@x\n\n,,,\nana,Twice,,\n"
                      "Ana Díaz,Space,,\n../etc,,,\nben,Ben,\"Smith, Jr.\",\n", encoding="utf-8")
    learners, problems = Cohort("c", roster).learners()
    assert [(lr.id, lr.last_name) for lr in learners] == [("ana", "Díaz"), ("ben", "Smith, Jr.")]
    assert len(problems) == 3 and "listed twice" in problems[0] and "'Ana Díaz'" in problems[1]
    assert all("line" in p for p in problems)
    (tmp_path / "latin1.csv").write_bytes("id\nzoë\n".encode("latin-1"))
    assert "cannot be read" in Cohort("c", tmp_path / "latin1.csv").learners()[1][0]


def test_hub_settings_are_kept_in_hub_yaml_and_say_what_stops_a_start(tmp_path):
    settings = HubSettings(tmp_path / "hub")
    assert any("no cohort" in p for p in settings.problems())
    settings.instructors, settings.cohorts = ["Teacher"], [Cohort("Spring 2027", tmp_path / "missing.csv")]
    found = " ".join(settings.problems())
    assert "instructor 'Teacher'" in found and "cohort 'Spring 2027'" in found and "does not exist" in found
    (tmp_path / "a.csv").write_text("id\nana\n")
    settings.instructors, settings.cohorts = ["teacher"], [Cohort("spring", tmp_path / "a.csv", ["helper"])]
    settings.max_servers = 12
    settings.save()
    again = HubSettings.load(tmp_path / "hub")
    assert again.instructors == ["teacher"] and again.max_servers == 12 and not again.problems()
    assert again.instructors_of(again.cohort("spring")) == ["helper", "teacher"]


def test_the_instructor_page_sees_hand_ins_late_ones_and_collections_from_the_exchange(tmp_path):
    layout = CourseLayout(tmp_path / "course")
    (layout.notebooks / "01-a").mkdir(parents=True)
    (layout.notebooks / "01-a" / "lesson.yaml").write_text("id: 01-a\n")
    inbound = tmp_path / "exchange" / "c" / "inbound"
    inbound.mkdir(parents=True)
    (tmp_path / "exchange" / "c" / "outbound" / "01-a").mkdir(parents=True)
    for name in ("ana+01-a+2026-01-01 10:00:00.000000 UTC+x", "ana+01-a+2026-01-01 11:00:00.000000 UTC+y",
                 "ben+01-a+2026-01-01 10:30:00.000000 UTC+z", "odd-folder"):
        (inbound / name).mkdir()
    collected = layout.submitted / "ana" / "01-a"
    collected.mkdir(parents=True)
    (collected / "timestamp.txt").write_text("2026-01-01 10:00:00.000000 UTC")
    (state,) = instructor.class_state(layout, "c", tmp_path / "exchange")
    assert state.released and state.handed_in["ana"].startswith("2026-01-01 11:00")
    assert state.late == ["ana", "ben"]  # ana handed in again after the collection; ben after it too
    page = instructor.render(layout, "c", tmp_path / "exchange", "tok", "/services/c/")
    assert "late, not collected yet): ana, ben" in page and "<script" not in page


def test_a_hand_in_record_and_feedback_page_are_read_from_the_learners_folder(tmp_path):
    lesson = tmp_path / "01-a"
    (lesson / "feedback" / "2026-01-01 10:00:00.000000 UTC").mkdir(parents=True)
    assert handin.handed_in(lesson) == [] and handin.feedback_page(lesson) is None
    handin._remember(lesson, "2026-01-01 11:00:00.000000 UTC")
    handin._remember(lesson, "2026-01-01 10:00:00.000000 UTC")
    assert handin.handed_in(lesson) == ["2026-01-01 10:00:00.000000 UTC", "2026-01-01 11:00:00.000000 UTC"]
    page = lesson / "feedback" / "2026-01-01 10:00:00.000000 UTC" / "01-a.html"
    page.write_text('<p class="summary"><strong>Your score: 5 of\n6 points.</strong> Your reflection has not</p>')
    assert handin.feedback_page(lesson) == page
    assert "January 1, 2026 at" in handin.when("2026-01-01 11:00:00.000000 UTC") and handin.when("soon") == "soon"
    assert "1 de enero de 2026 a las" in handin.when("2026-01-01 11:00:00.000000 UTC", i18n.language("es"))
    (tmp_path / handin.RECORD).write_text("[not a record")
    assert handin.handed_in(lesson) == []


@pytest.mark.slow
def test_a_cohort_lesson_offers_hand_in_without_loading_nbgrader_until_it_is_pressed(released_course, tmp_path):
    lid = released_course.lesson_ids[0]
    folder = shutil.copytree(released_course.lesson(lid, released_course.release), tmp_path / lid)
    code = ("import sys\nfrom course_lib import lesson\npanel = lesson.check_lesson()\n"
            "from course_lib.views import text_of\n"
            "print(type(panel).__name__, 'nbgrader' in sys.modules, panel.go.description)\n"
            "print(text_of(panel.status.value))\n"
            "panel.go.click()\n"  # no exchange set up here: a calm message, never a traceback
            "print(text_of(panel.status.value))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120,
                         env={"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)})
    first, status, after = out.stdout.splitlines()[:3]
    assert first == "HandIn False Hand in this lesson to my instructor", out.stdout + out.stderr
    assert "You have not handed in this lesson yet" in status and "saved answers to 0 of" in status
    assert "could not be handed in just now" in after and "Traceback" not in out.stdout
    assert not (tmp_path / handin.RECORD).exists()


def test_the_hub_configuration_keeps_its_state_caps_servers_culls_idle_ones_and_serves_each_cohort(
        tmp_path, monkeypatch):
    from traitlets.config import Config

    from course_lib.hub.config import configure

    (tmp_path / "a.csv").write_text("id\nana\nben\n")
    (tmp_path / "b.csv").write_text("id\nfay\n")
    settings = HubSettings(tmp_path / "hub", ["teacher"], [Cohort("ot", tmp_path / "a.csv"),
                                                           Cohort("spring", tmp_path / "b.csv", ["helper"])])
    settings.max_servers, settings.idle_minutes = 7, 20
    settings.save()
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path / "course"))
    monkeypatch.setenv("COURSE_HUB_PROXY", "/bin/true")
    monkeypatch.setenv("COURSE_HUB_URL", "http://127.0.0.1:8123/")
    c = Config()
    configure(c, settings.folder)
    state = str(settings.state)
    assert c.JupyterHub.db_url == f"sqlite:///{state}/jupyterhub.sqlite"
    assert c.JupyterHub.cookie_secret_file.startswith(state) and c.CourseAuthenticator.dbm_path.startswith(state)
    assert c.JupyterHub.active_server_limit == 7 and c.Spawner.mem_limit == "1G"
    assert c.Authenticator.allowed_users == {"teacher", "helper", "ana", "ben", "fay"}
    assert c.JupyterHub.load_groups["nbgrader-spring"] == {"users": ["fay"]}
    said = c.JupyterHub.template_vars  # before anyone knows a learner's language: in every language
    assert '<p lang="en">Log in with the name' in said["announcement_login"]
    assert '<p lang="es">Entre con el nombre que le dio su instructor' in said["announcement_login"]
    assert "El curso está lleno en este momento" in said["course_full"] and "The course is full" in said["course_full"]
    assert c.JupyterHub.load_groups["formgrade-spring"] == {"users": ["helper", "teacher"]}
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert set(services) == {"ot", "spring", "course-view", "idle-culler"}
    assert services["ot"]["cwd"].endswith("courses/ot/grading")
    assert "course_lib.hub.instructor" in services["ot"]["command"]
    assert "--timeout=1200" in services["idle-culler"]["command"]
    view = services["course-view"]["command"]
    assert "--Voila.base_url=/services/course-view/" in view and "--CourseVoila.allowed_hosts=127.0.0.1:8123" in view
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["formgrade-spring"]["scopes"] == ["access:services!service=spring"]
    assert not any(s.startswith("access:servers") for s in roles["instructor"]["scopes"])  # not learners' servers


def test_the_hubs_pages_before_a_learners_own_say_their_words_in_every_language():
    from course_lib.hub.auth import refused
    from course_lib.hub.learner import waiting_page

    page = waiting_page()
    assert '<h1 lang="en">Your course is on its way</h1>' in page
    assert '<h1 lang="es">Su curso está en camino</h1>' in page
    assert "<title>Your course is on its way · Su curso está en camino</title>" in page
    assert refused().startswith("That name is not on the class list") and "Ese nombre no está en la lista" in refused()


def test_a_learner_on_the_hub_who_chose_spanish_gets_the_spanish_home_and_jupyterlab_in_spanish(tmp_path, monkeypatch):
    """The course pages of a cohort are in 00-course-home/ of the learner's folder: opening the Spanish home
    there keeps the choice in the learner's folder, and their server opens it, JupyterLab's menus in Spanish."""
    import json

    from course_lib import preference
    from course_lib.hub.learner import home_page, server_command
    from course_lib.layout import COURSE_HOME

    root = tmp_path / "learner"
    assert home_page(root) is None  # the course has not arrived: the page that waits for it
    home = root / COURSE_HOME
    home.mkdir(parents=True)
    (root / preference.STATE).mkdir()
    for name in ("index.ipynb", "index.es.ipynb"):
        (home / name).write_text("{}")
    assert home_page(root) == f"{COURSE_HOME}/index.ipynb"
    preference.remember("es", home)  # the Spanish home's first cell, in the learner's folder on the hub
    assert preference.remembered(root) == "es" and home_page(root) == f"{COURSE_HOME}/index.es.ipynb"
    setting = root / preference.STATE / preference.LAB_LANGUAGE
    assert json.loads(setting.read_text(encoding="utf-8"))["locale"] == "es_ES"
    server_command(root, {"PATH": "/usr/bin"})  # a new server for the learner keeps it
    assert json.loads(setting.read_text(encoding="utf-8"))["locale"] == "es_ES"
