"""A real ``course hub`` on 127.0.0.1 for the hub tests, and the people who use it.

:func:`start_hub` runs ``course hub`` as an instructor would (a subprocess, its printed address);
:class:`Person` is someone logged in through the hub's login form (cookies, like a browser), who
can get an API token, start their server, read files through the contents API and run code in a
kernel of a lesson (the same kernel a page would use: JupyterLab's session API and the kernel's
websocket), and press a lesson's buttons there.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests
import websocket
from learners import answering

PASSWORD = "a-long-password"


@dataclass
class Hub:
    root: Path  # the course
    folder: Path  # the hub folder
    url: str
    proc: subprocess.Popen
    printed: list[str]

    @property
    def log(self) -> str:
        return (self.folder / "logs" / "hub.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_hub(root: Path, folder: Path, port: int, *args: str, seconds: float = 300) -> Hub:
    proc = subprocess.Popen([sys.executable, "-m", "course_lib", "--root", str(root), "hub", "--port", str(port),
                             "--dir", str(folder), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    printed, url, deadline = [], None, time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        printed.append(line.rstrip("\n"))
        if m := re.match(r"The class is open at (\S+)$", printed[-1]):
            url = m.group(1).rstrip("/")
        if printed[-1].startswith("Press Ctrl+C"):
            break
    if url is None:
        proc.kill()
        log = folder / "logs" / "hub.log"
        raise AssertionError("course hub did not open; it printed:\n" + "\n".join(printed) +
                             ("\n--- log:\n" + log.read_text()[-4000:] if log.is_file() else ""))
    return Hub(root, folder, url, proc, printed)


def remove_accounts(folder: Path) -> None:
    """The system accounts a test hub made (their homes are in its folder), and the folder."""
    for account in pwd.getpwall():
        if account.pw_dir.startswith(str(folder) + "/"):
            subprocess.run(["userdel", account.pw_name], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


class Person:
    """Someone logged in to the hub through its login form."""

    def __init__(self, hub: Hub, name: str, password: str = PASSWORD):
        self.hub, self.name = hub, name
        self.web = requests.Session()
        self.web.get(f"{hub.url}/hub/login", timeout=60)
        self.login = self.web.post(f"{hub.url}/hub/login", timeout=300, allow_redirects=False,
                                   data={"username": name, "password": password, "_xsrf": self.web.cookies["_xsrf"]})
        self._token = None

    @property
    def logged_in(self) -> bool:
        return self.login.status_code == 302

    @property
    def token(self) -> str:
        if self._token is None:
            reply = self.web.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens", json={"note": "test"},
                                  headers={"X-XSRFToken": self.web.cookies.get("_xsrf", path="/hub/")}, timeout=60)
            assert reply.status_code == 201, reply.text
            self._token = reply.json()["token"]
        return self._token

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.hub.url + path, headers=headers, timeout=120, **kwargs)

    def start_server(self, seconds: float = 240) -> None:
        reply = self.api("POST", f"/hub/api/users/{self.name}/server")
        assert reply.status_code in (201, 202, 400), reply.text  # 400: already running
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            user = self.api("GET", f"/hub/api/users/{self.name}").json()
            server = (user.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(1)
        raise AssertionError(f"{self.name}'s server did not start:\n{self.hub.log[-4000:]}")

    def contents(self, path: str, token: str | None = None, owner: str | None = None) -> requests.Response:
        return self.api("GET", f"/user/{owner or self.name}/api/contents/{path}", token)

    def wait_for_file(self, path: str, seconds: float = 120) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            reply = self.contents(path)
            if reply.status_code == 200:
                return reply.json()
            time.sleep(1)
        said = [line for line in self.hub.log.splitlines() if "course" in line or "rror" in line]
        raise AssertionError(f"{path} did not arrive in {self.name}'s folder; the hub's log:\n" + "\n".join(said[-60:]))

    def run(self, notebook: str, code: str, seconds: float = 180, keep: bool = False) -> str:
        """Run ``code`` in a kernel of ``notebook`` (in its folder), as the page does; what it printed.
        The kernel is shut down after, unless ``keep`` (as a page left open)."""
        session = self.api("POST", f"/user/{self.name}/api/sessions",
                           json={"path": notebook, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
        assert session.status_code == 201, session.text
        kernel = session.json()["kernel"]["id"]
        ws_url = self.hub.url.replace("http", "ws", 1) + f"/user/{self.name}/api/kernels/{kernel}/channels"
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"],
                                         suppress_origin=True, timeout=seconds)
        try:
            return _execute(ws, code, seconds)
        finally:
            ws.close()
            if not keep:
                self.api("DELETE", f"/user/{self.name}/api/sessions/{session.json()['id']}")


def _execute(ws, code: str, seconds: float) -> str:
    msg_id, out = uuid.uuid4().hex, []
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    deadline, replied, idle = time.monotonic() + seconds, None, False
    while time.monotonic() < deadline and not (replied and idle):  # output may come after the reply
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            raise AssertionError("the kernel said:\n" + "\n".join(content["traceback"]) + "".join(out))
        elif kind == "execute_reply":
            replied = content
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
    if not replied:
        raise AssertionError("the kernel did not answer in time")
    if replied["status"] != "ok":
        raise AssertionError(f"the kernel could not run the code: {replied}")
    return "".join(out)


def answers_code(answers: dict, reflection: str | None, rid: str | None, language: str = "en") -> str:
    """Answer through the lesson's widgets (in the notebook of ``language``), then press its Hand in
    button (the callback a click runs)."""
    return answering(answers, reflection, rid, language) + (
        "panel = lesson.check_lesson()\npanel.go.click()\n"
        "from course_lib.views import text_of\nprint(text_of(panel.status.value))\n")


def account_of(name: str) -> pwd.struct_passwd:
    return pwd.getpwnam(f"learner-{name}")


def as_root() -> bool:
    return os.geteuid() == 0
