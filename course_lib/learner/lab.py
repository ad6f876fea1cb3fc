"""Run the learner's JupyterLab: the course's own settings, one short message, a stable address.

JupyterLab runs as a child process with three environment variables, set for it alone:

* ``JUPYTER_CONFIG_PATH`` starts with ``course_lib/learner/jupyter/``, the course's settings,
  which take precedence over the environment's: nbgrader's and Voila's server and lab
  extensions off, no news or update check, saving drops a lesson's outputs;
* ``JUPYTER_CONFIG_DIR`` is ``<workspace>/.jupyter/``, so the learner's own JupyterLab
  settings and layout are kept with their work, and ``~/.jupyter`` is neither read nor written;
* ``JUPYTER_TOKEN`` is a random token made once and kept in ``<workspace>/.jupyter/course-token``
  (mode 0600), so the address is the same every time (a bookmark keeps working) while other
  users of the computer still cannot open the learner's JupyterLab. It is passed through the
  environment, never on the command line, where anyone could read it in the process list.

The server listens on 127.0.0.1 only and does not try other ports, so the address printed is
the address it has. Its log goes to ``<workspace>/.jupyter/jupyterlab.log``.

:func:`learner_settings` is the one place that makes a JupyterLab the learner's (the first two
variables and the course's extension and page scripts): a learner's server on the course's
JupyterHub (:mod:`course_lib.hub.learner`) gets the same.

It opens on the course home in the learner's language (:mod:`course_lib.preference`), says what it
says in it, and sets JupyterLab's own language (its ``translation-extension`` setting) to it where
JupyterLab's language pack for it is installed (``jupyterlab-language-pack-es-ES``, a dependency).
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .. import i18n, preference
from ..files import atomic_write
from ..layout import in_language
from ..page_scripts import PAGE_SCRIPTS
from ..workspace import SyncReport, course_notebooks

HERE = Path(__file__).resolve().parent
CONFIG_PATH = HERE / "jupyter"
LABEXTENSIONS = HERE / "labextensions"
STATE = ".jupyter"
TOKEN_FILE = "course-token"
LOG_FILE = "jupyterlab.log"
HOME = "lab/tree/index.ipynb"
STARTUP_SECONDS = 180
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def start_lab(workspace: Path, port: int, prepare: Callable[[], SyncReport], language: str | None = None) -> int:
    """Check the port, ``prepare`` the workspace, open JupyterLab on it and wait for Ctrl+C; in
    ``language`` (kept as the learner's choice), else the one they chose last."""
    workspace = workspace.resolve()
    state = _state_dir(workspace)
    if i18n.known(language):
        preference.remember(language, workspace)
    t = i18n.language(preference.remembered(workspace))
    token = learner_token(state)
    if not port_is_free(port):
        if _already_serving(workspace, port, token):
            print(t._("The course is already open at {address}", address=address(port, token, t.code)), flush=True)
            return 0
        print(_busy_message(port, t), flush=True)
        return 1
    print(t._("Getting the course ready..."), flush=True)
    for notice in prepare().notices(t):
        print(notice, flush=True)
    cmd, env = lab_command(workspace, port, token, t.code)
    log_path = state / LOG_FILE
    _stop_on_signals()
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=workspace, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        if not _wait_until_up(proc, port):
            _stop(proc)
            text = log_path.read_text(encoding="utf-8", errors="replace")
            print(_busy_message(port, t) if "is already in use" in text else
                  t._("JupyterLab did not start. What it said is in {log}", log=log_path), flush=True)
            return 1
        print(t._("Open the course at {address}", address=address(port, token, t.code)) + "\n"
              + t._("Press Ctrl+C to stop."), flush=True)
        code = proc.wait()
        print(t._("JupyterLab stopped. What it said is in {log}", log=log_path), flush=True)
        return code
    except KeyboardInterrupt:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl+C must not leave JupyterLab running
        _stop(proc)
        print("\n" + t._("The course has stopped."), flush=True)
        return 0


def learner_settings(config_dir: Path, notebooks: list[str], env: dict[str, str],
                     language: str | None = None) -> tuple[list[str], dict[str, str]]:
    """What makes a JupyterLab the learner's, wherever it runs (``course start``, or a learner's
    server on the course's JupyterHub): server options and environment variables.

    ``config_dir`` is the learner's own Jupyter settings folder (``JUPYTER_CONFIG_DIR``); the course's
    page config there names ``notebooks``, the course notebooks the learner's folder holds (only those
    get ready by themselves), and JupyterLab's own language is set to ``language``. ``env`` is the
    environment the server would otherwise get.
    """
    write_page_config(config_dir, notebooks)
    preference.set_lab_language(config_dir, language)
    forget_open_pages(config_dir)
    env = dict(env)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(CONFIG_PATH), env.get("JUPYTER_CONFIG_PATH")) if p)
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    args = [f"--LabApp.extra_labextensions_path={LABEXTENSIONS}", f"--ServerApp.extra_static_paths={PAGE_SCRIPTS}"]
    return args, env


def lab_command(workspace: Path, port: int, token: str,
                language: str | None = None) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the learner's JupyterLab on ``workspace``, opening on the
    course home in ``language``."""
    args, env = learner_settings(_state_dir(workspace), course_notebooks(workspace), os.environ, language)
    env["JUPYTER_TOKEN"] = token
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workspace}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--LabApp.default_url=/{home(language)}", *args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd, env


def home(language: str | None = None) -> str:
    """The course home's path in JupyterLab, in ``language``."""
    return in_language(HOME, language)


def address(port: int, token: str, language: str | None = None) -> str:
    return f"http://127.0.0.1:{port}/{home(language)}?token={token}"


def learner_token(state: Path) -> str:
    """The workspace's token: made once, readable by its owner only; made again if anyone else could read it."""
    path = state / TOKEN_FILE
    try:
        token = path.read_text(encoding="ascii").strip()
        # Windows has no such mode bits: a file in the user's own folder is theirs (its ACL says so)
        private = os.name == "nt" or path.stat().st_mode & 0o077 == 0
    except (OSError, ValueError):
        token, private = "", False
    if private and re.fullmatch(r"[0-9a-f]{48}", token):
        return token
    token = secrets.token_hex(24)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(token)
    return token


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        if os.name != "nt":  # on Windows this option would let us bind a port another program holds
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _busy_message(port: int, t: i18n.Language = i18n.ENGLISH) -> str:
    other = next((p for p in range(port + 2, port + 40) if port_is_free(p)), port + 2)
    return (t._("Port {port} is in use by another program, so the course cannot open there.", port=port) + "\n"
            + t._("Start it on another port: make start PORT={other}   (or: course start --port {other})", other=other))


def _state_dir(workspace: Path) -> Path:
    state = workspace / STATE
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    return state


def write_page_config(config_dir: Path, notebooks: list[str]) -> None:
    """Tell the course-learner extension which notebooks the course put in the workspace: only
    those get ready by themselves, so a notebook from elsewhere never runs on opening."""
    path = config_dir / "labconfig" / "page_config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    if not isinstance(config, dict):
        config = {}
    config["courseNotebooks"] = notebooks
    atomic_write(path, json.dumps(config, indent=1))


def forget_open_pages(config_dir: Path) -> None:
    """Start on the course home alone: JupyterLab would reopen every page ever left open (its saved
    layout, in ``lab/workspaces``), each starting its own kernel before the learner can read a word."""
    for layout in (config_dir / "lab" / "workspaces").glob("*.jupyterlab-workspace"):
        layout.unlink(missing_ok=True)


def _already_serving(workspace: Path, port: int, token: str) -> bool:
    """Whether this course's JupyterLab already serves ``workspace`` on ``port``, from the runtime
    file a running Jupyter server of this user keeps: the token is never sent to whatever holds the port."""
    from jupyter_core.paths import jupyter_runtime_dir

    for info_file in Path(jupyter_runtime_dir()).glob("jpserver-*.json"):
        try:
            info = json.loads(info_file.read_text(encoding="utf-8"))
            if (info["port"], info["token"], Path(info["root_dir"]).resolve()) == (port, token, workspace):
                os.kill(info["pid"], 0)
                return True
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return False


def _wait_until_up(proc: subprocess.Popen, port: int) -> bool:
    """Until our JupyterLab answers on ``port`` (``/api`` needs no token, so none is sent)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def _stop_on_signals() -> None:
    """Ctrl+C, ``kill`` and a closed terminal all stop JupyterLab with us, never leave it running alone."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for sig in STOP_SIGNALS:
        signal.signal(sig, interrupt)


def _stop(proc: subprocess.Popen) -> None:
    """Ask JupyterLab to stop (it shuts its kernels down), then insist."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
