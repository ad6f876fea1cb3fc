"""The web view's parts, without a running server: every setting declared once, the gate's kernel
routes taken from Voila's own table, the widget budget, cookies, the course's error page, the
open-files sizing, and which processes load the web server at all."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, free_port
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
from webtools import run_apart

from course_lib.web import SETTINGS, voila_command
from course_lib.web.channels import WidgetBudget, frame
from course_lib.web.limits import PER_VISITOR, RESERVE, OpenFiles

# -- one declaration per setting --------------------------------------------------------------------

def _owners():
    from course_lib.web.kernels import CourseKernelManager
    from course_lib.web.server import CourseVoila

    return {"CourseKernelManager": CourseKernelManager, "CourseVoila": CourseVoila}


def test_every_setting_of_the_course_is_one_declaration_and_its_trait_comes_from_it():
    owners = _owners()
    declared = {(s.owner, s.name) for s in SETTINGS.values() if s.ours}
    for owner, cls in owners.items():
        own = {name for name, trait in cls.class_own_traits(config=True).items()}
        if owner == "CourseKernelManager":  # the manager's own traits are all settings
            assert own == {name for o, name in declared if o == owner}
        for name in (n for o, n in declared if o == owner):
            trait, setting = cls.class_traits()[name], SETTINGS[name]
            assert trait.help == setting.help
            assert trait.default() == (list(setting.default) if isinstance(setting.default, tuple)
                                       else setting.default)


def test_the_server_command_carries_every_setting_and_refuses_an_unknown_one(tmp_path):
    cmd, _env = voila_command(tmp_path, max_kernels=7, allowed_hosts=("a.example", "b.example"))
    assert "--CourseKernelManager.max_kernels=7" in cmd
    assert "--CourseVoila.allowed_hosts=a.example" in cmd and "--CourseVoila.allowed_hosts=b.example" in cmd
    for s in SETTINGS.values():
        assert any(flag.startswith(f"--{s.owner}.{s.name}=") for flag in cmd) or s.default == (), s.name
    with pytest.raises(TypeError, match="max_kernal"):
        voila_command(tmp_path, max_kernal=3)


def test_the_docs_table_gives_each_setting_its_own_default():
    docs = (ROOT / "docs" / "web-view.md").read_text()
    table = docs[docs.index("## Settings and their defaults"):]
    for s in SETTINGS.values():
        row = next((line for line in table.splitlines() if line.startswith(f"| `{s.name}`")), None)
        assert row, f"docs/web-view.md has no row for {s.name}"
        default = "none" if s.default == () else str(s.default).lower()
        assert f"| {default} " in row.split("`", 2)[2], (s.name, row)
        if s.option:
            assert f"`course view {s.option}" in row, row


def test_course_view_has_an_option_for_each_setting_a_host_may_set(capsys):
    from course_lib.cli import main

    with pytest.raises(SystemExit):
        main(["view", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for s in SETTINGS.values():
        if s.option:
            assert s.option in text and " ".join(s.help.split()[:6]) in text


# -- the gate's routes come from Voila's own table ---------------------------------------------------

def test_the_gate_guards_exactly_the_routes_of_voilas_table_that_act_on_one_kernel(tmp_path, monkeypatch):
    import tornado.web
    from voila.app import Voila

    from course_lib.web.server import CourseVoila

    (tmp_path / "page.ipynb").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    cmd, env = voila_command(tmp_path, free_port(), tuned=False, warm_kernels=0)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = CourseVoila()
    app.initialize([*cmd[3:], "--VoilaConfiguration.progressive_rendering=True"])
    app.app = tornado.web.Application(**app.init_settings())
    app.init_handlers()
    guarded = sorted(r.regex.pattern.rstrip("$") for r in app.app.settings["course_kernel_routes"].routes)
    voilas = [spec[0] for spec in Voila.init_handlers(app)]
    assert guarded == sorted(p for p in voilas if "kernel_id" in p or "/api/shutdown/" in p)
    assert any("/voila/execution/" in p for p in guarded)  # a route Voila adds only when told to
    assert app.app.settings["course_kernel_routes"].cookie_paths("k-1") == [
        "/api/kernels/k-1", "/voila/api/shutdown/k-1", "/voila/execution/k-1"]


# -- what a page may send its kernel -----------------------------------------------------------------

def _msg(kind: str, content: dict, buffers: tuple[bytes, ...] = ()) -> list[bytes]:
    raw = serialize_msg_to_ws_v1([json.dumps(p).encode() for p in ({"msg_type": kind}, {}, {}, content)]
                                 + list(buffers), "shell")
    return frame(raw)[1]


def test_a_page_may_not_create_widgets_in_its_kernel_but_may_start_the_widget_manager():
    budget = WidgetBudget(256 * 1024, 4 * 1024 * 1024)
    assert budget.allows(_msg("comm_open", {"comm_id": "c", "target_name": "jupyter.widget.control", "data": {}}))
    assert not budget.allows(_msg("comm_open", {"comm_id": "d", "target_name": "jupyter.widget",
                                                "data": {"state": {"_model_name": "TextareaModel"}}}))
    click = {"method": "custom", "content": {"event": "click"}}
    assert budget.allows(_msg("comm_msg", {"comm_id": "b", "data": click}))
    assert budget.allows(_msg("kernel_info_request", {}))


def test_widget_state_is_bounded_per_kernel_counting_each_propertys_latest_value():
    budget = WidgetBudget(64 * 1024, 200 * 1024)
    text = "x" * 50_000
    update = lambda comm, **state: _msg("comm_msg", {"comm_id": comm, "data": {"method": "update", "state": state}})  # noqa: E731
    for _ in range(100):  # the same box typed into again and again: only its latest value is kept
        assert budget.allows(update("box", value=text))
    assert budget.total < 60_000
    assert budget.allows(update("a", value=text)) and budget.allows(update("b", value=text))
    assert budget.allows(update("c", description=text))
    assert not budget.allows(update("d", value=text))  # a fifth 50 KB value would pass 200 KB
    assert budget.allows(update("a", value="short"))  # replacing a value frees its room
    assert budget.allows(update("d", value=text))
    assert not budget.allows(update("e", value="y" * 70_000))  # one message over the most a page sends
    images = _msg("comm_msg", {"comm_id": "img", "data": {"method": "update", "state": {},
                                                         "buffer_paths": [["value"]]}}, (b"\0" * 60_000,))
    assert not budget.allows(images)  # binary buffers count too


# -- cookies and error pages --------------------------------------------------------------------------

def _serve(handlers, request_headers=None) -> tuple[int, object, str]:
    """Run a tiny tornado app with the course's response rules; one GET to its first route."""
    import tornado.web
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    from course_lib.web.responses import course_responses

    async def run():
        app = tornado.web.Application(handlers, transforms=[], xsrf_cookies=False)
        app.add_transform(course_responses("/"))
        port = free_port()
        server = app.listen(port, "127.0.0.1", xheaders=True)
        try:
            response = await AsyncHTTPClient().fetch(f"http://127.0.0.1:{port}/x", headers=request_headers or {},
                                                     raise_error=False)
        except HTTPClientError as error:
            response = error.response
        server.stop()
        return response.code, response.headers, response.body.decode()

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API may hold this thread's event loop
        return thread.submit(asyncio.run, run()).result()


def test_a_server_error_is_a_calm_page_without_a_traceback():
    import tornado.web

    class Broken(tornado.web.RequestHandler):
        def get(self):
            raise RuntimeError("/srv/course_lib/secret.py exploded")

    code, headers, body = _serve([("/x", Broken)])
    assert code == 500 and "Something went wrong" in body and 'href="/voila/render/index.ipynb"' in body
    assert "secret.py" not in body and "Traceback" not in body and headers.get("Content-Security-Policy")


@pytest.mark.parametrize("https", [False, True])
def test_every_cookie_lasts_for_the_session_and_is_secure_over_https(https):
    import tornado.web

    from course_lib.web.responses import SessionCookies

    class Page(SessionCookies, tornado.web.RequestHandler):
        def get(self):
            self.set_cookie("_xsrf", "token", expires_days=30)
            self.clear_cookie("gone")
            self.write("ok")

    code, headers, _body = _serve([("/x", Page)], {"X-Forwarded-Proto": "https"} if https else {})
    cookies = headers.get_list("Set-Cookie")
    xsrf = next(c for c in cookies if c.startswith("_xsrf="))
    assert code == 200 and "expires" not in xsrf.lower() and "max-age" not in xsrf.lower()
    assert ("Secure" in xsrf) == https
    assert any(c.startswith("gone=") and "expires=" in c.lower() for c in cookies)  # a deleted one stays deleted


# -- open files ----------------------------------------------------------------------------------------

def test_the_kernel_cap_fits_the_open_files_limit():
    assert OpenFiles(1024, 1024, None).room_for_kernels(20) == (1024 - 20 - RESERVE) // PER_VISITOR
    assert OpenFiles(64, 64, None).room_for_kernels(20) == 0


def test_the_server_raises_its_open_files_limit_to_the_hard_one():
    code = ("import resource; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 4096)); "
            "from course_lib.web.limits import raise_open_files; f = raise_open_files(); "
            "print(f.soft, f.raised_from, resource.getrlimit(resource.RLIMIT_NOFILE)[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["4096", "256", "4096"]


# -- who loads the web server ---------------------------------------------------------------------------

def test_the_learners_jupyterlab_finds_the_page_scripts_without_loading_the_web_view():
    code = ("import sys, course_lib.learner.lab; "
            "print(sorted(m for m in sys.modules if m.startswith('course_lib.web')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"
    from course_lib.page_scripts import PAGE_SCRIPTS

    assert (PAGE_SCRIPTS / "course-a11y.js").is_file()
    template = (ROOT / "course_lib/web/jupyter/voila/templates/course/index.html.j2").read_text()
    assert re.search(r'src="[^"]*voila/static/course-a11y\.js"', template)
    assert not list(Path(ROOT / "course_lib/web").rglob("course-a11y.js"))  # one copy


def test_make_view_serves_on_the_port_and_edition_asked_for():
    out = subprocess.run(["make", "-n", "-C", str(ROOT), "view", "PORT=9123", "EDITION=cohort"], capture_output=True,
                         text=True, check=True).stdout
    assert "course view --port 9123 --edition cohort" in out
    assert "course view --port 8866 --edition self-paced" in subprocess.run(
        ["make", "-n", "-C", str(ROOT), "view"], capture_output=True, text=True, check=True).stdout


def test_the_idle_cull_passes_over_a_kernel_still_starting_and_kernels_talk_over_socket_files(tmp_path):
    """Jupyter's cull met a kernel between its start and its first activity and printed a TraitError;
    over TCP, kernels started together sometimes took each other's ports."""
    from course_lib.web.kernels import CourseKernelManager, VisitorKernel

    manager = CourseKernelManager(root_dir=str(tmp_path))
    starting = VisitorKernel(parent=manager, connection_file=str(tmp_path / "kernel-1.json"))
    manager._kernels["1"] = starting
    assert run_apart(manager.cull_kernel_if_idle("1")) is None
    assert "1" in manager._kernels and not manager._ending
    assert starting.transport == "ipc" and starting.ip == str(tmp_path / "kernel-1-ipc")
