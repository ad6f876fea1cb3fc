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

from ..files import atomic_write
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


def start_lab(workspace: Path, port: int, prepare: Callable[[], SyncReport]) -> int:
    """Check the port, ``prepare`` the workspace, open JupyterLab on it and wait for Ctrl+C."""
    workspace = workspace.resolve()
    state = _state_dir(workspace)
    token = learner_token(state)
    if not port_is_free(port):
        if _already_serving(workspace, port, token):
            print(f"The course is already open at {address(port, token)}", flush=True)
            return 0
        print(_busy_message(port), flush=True)
        return 1
    print("Getting the course ready...", flush=True)
    for notice in prepare().notices():
        print(notice, flush=True)
    cmd, env = lab_command(workspace, port, token)
    log_path = state / LOG_FILE
    _stop_on_signals()
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=workspace, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        if not _wait_until_up(proc, port):
            _stop(proc)
            text = log_path.read_text(encoding="utf-8", errors="replace")
            print(_busy_message(port) if "is already in use" in text else
                  f"JupyterLab did not start. What it said is in {log_path}", flush=True)
            return 1
        print(f"Open the course at {address(port, token)}\nPress Ctrl+C to stop.", flush=True)
        code = proc.wait()
        print(f"JupyterLab stopped. What it said is in {log_path}", flush=True)
        return code
    except KeyboardInterrupt:
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl+C must not leave JupyterLab running
        _stop(proc)
        print("\nThe course has stopped.", flush=True)
        return 0


def lab_command(workspace: Path, port: int, token: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the learner's JupyterLab on ``workspace``."""
    state = _state_dir(workspace)
    _write_page_config(state, course_notebooks(workspace))
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(CONFIG_PATH), env.get("JUPYTER_CONFIG_PATH")) if p)
    env["JUPYTER_CONFIG_DIR"] = str(state)
    env["JUPYTER_TOKEN"] = token
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={workspace}", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--LabApp.default_url=/{HOME}",
           f"--LabApp.extra_labextensions_path={LABEXTENSIONS}", f"--ServerApp.extra_static_paths={PAGE_SCRIPTS}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd, env


def address(port: int, token: str) -> str:
    return f"http://127.0.0.1:{port}/{HOME}?token={token}"


def learner_token(state: Path) -> str:
    """The workspace's token: made once, readable by its owner only; made again if anyone else could read it."""
    path = state / TOKEN_FILE
    try:
        token = path.read_text(encoding="ascii").strip()
        private = path.stat().st_mode & 0o077 == 0
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
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _busy_message(port: int) -> str:
    other = next((p for p in range(port + 2, port + 40) if port_is_free(p)), port + 2)
    return (f"Port {port} is in use by another program, so the course cannot open there.\n"
            f"Start it on another port: make start PORT={other}   (or: course start --port {other})")


def _state_dir(workspace: Path) -> Path:
    state = workspace / STATE
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    return state


def _write_page_config(state: Path, notebooks: list[str]) -> None:
    """Tell the course-learner extension which notebooks the course put in the workspace: only
    those get ready by themselves, so a notebook from elsewhere never runs on opening."""
    path = state / "labconfig" / "page_config.json"
    path.parent.mkdir(exist_ok=True)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    if not isinstance(config, dict):
        config = {}
    config["courseNotebooks"] = notebooks
    atomic_write(path, json.dumps(config, indent=1))


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
