"""``course hub``: get a class ready on this machine and serve it with JupyterHub; print one address.

Before JupyterHub starts: the hub folder's settings are checked (``hub.yaml``, updated from the
command's options); the proxy is installed from the pinned ``proxy/package-lock.json`` with ``npm ci``
(once, into ``build/hub-proxy/``); the self-paced edition is made for the web view; each cohort gets
its nbgrader course folder (the course's lessons, its own ``nbgrader_config.py`` and gradebook) and
its class list in that gradebook. As root, the grader and web view accounts are made and own what
they write. Then JupyterHub runs with ``jupyterhub_config.py`` (:mod:`.config`); everything it, the
proxy, the services and the learners' servers say goes to ``hub/logs/hub.log``. Ctrl+C stops it all;
the next start finds every account, password, hand-in and grade where it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..files import atomic_write
from ..layout import CourseLayout
from ..publish.nbgrader import nbgrader_env
from .runtime import shared_python
from .settings import LEARNER_PREFIX, VIEW_ACCOUNT, Cohort, HubSettings, grader_name
from .spawner import as_root, ensure_account

HERE = Path(__file__).resolve().parent
PROXY_FILES = HERE / "proxy"
CONFIG_FILE = HERE / "jupyterhub_config.py"
STARTUP_SECONDS = 120
COHORT_CONFIG = '''\
"""nbgrader configuration of the cohort {course_id!r} on the course's JupyterHub (made by course hub).

The course's own settings, then this cohort's: its course id, the hub's exchange, its own gradebook.
"""
c = get_config()  # noqa: F821
load_subconfig({course_config!r})  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {grading!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
{collect_rule}
'''


# As root, a learner <id> hands in from the account learner-<id>: collect takes a hand-in of <id> only
# from that account, so no learner can hand in under another's id. Without root every learner's server
# runs as one account (the hub warns at start), and no account tells learners apart.
COLLECT_AS_ACCOUNT = ("# A hand-in of <id> is collected only from the account learner-<id>.\n"
                      f"c.CourseCollect.account_prefix = {LEARNER_PREFIX!r}")
COLLECT_ANY_ACCOUNT = ("# Not run as root: every learner's server runs as one account.\n"
                       "c.CollectApp.check_owner = False")


class HubError(RuntimeError):
    """The hub cannot start; the message says what to do."""


def default_course_id(layout: CourseLayout) -> str:
    import re

    found = re.search(r"course_id\s*=\s*['\"]([^'\"]+)", layout.nbgrader_config.read_text(encoding="utf-8"))
    return found.group(1) if found else "course"


def settings_from_options(layout: CourseLayout, folder: Path, instructors: list[str], roster: Path | None,
                          cohorts: list[str]) -> HubSettings:
    """``hub.yaml`` with the command's options added (and saved), so the next start needs none."""
    settings = HubSettings.load(folder)
    for name in instructors:
        if name not in settings.instructors:
            settings.instructors.append(name.strip().lower())
    specs = [f"{default_course_id(layout)}:{roster}"] if roster else []
    for spec in [*specs, *cohorts]:
        cid, _, path = spec.partition(":")
        if not path:
            raise HubError(f"--cohort {spec}: give a cohort as NAME:CLASS-LIST.csv")
        found = next((c for c in settings.cohorts if c.id == cid), None)
        if found is None:
            db = os.environ.get("COURSE_DB_URL") if not settings.cohorts and not cohorts else None
            settings.cohorts.append(Cohort(cid, Path(path).resolve(), [], db))
        else:
            found.roster = Path(path).resolve()
    if problems := settings.problems():
        raise HubError("The class is not ready to serve:\n- " + "\n- ".join(problems))
    settings.save()
    return settings


def ensure_proxy(layout: CourseLayout) -> Path:
    """configurable-http-proxy as pinned by ``proxy/package-lock.json``, installed by ``npm ci`` once."""
    target = layout.root / "build" / "hub-proxy"
    command = target / "node_modules" / ".bin" / "configurable-http-proxy"
    lock = (PROXY_FILES / "package-lock.json").read_bytes()
    if command.exists() and (target / "package-lock.json").is_file() and \
            (target / "package-lock.json").read_bytes() == lock:
        return command
    npm = shutil.which("npm")
    if npm is None:
        raise HubError("JupyterHub's proxy needs Node.js and npm: sudo apt-get install nodejs npm")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(PROXY_FILES / name, target / name)
    proc = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=target,
                          capture_output=True, text=True)
    if proc.returncode != 0 or not command.exists():
        raise HubError("npm could not install JupyterHub's proxy:\n" + proc.stdout[-2000:] + proc.stderr[-2000:])
    return command


def prepare_cohort(layout: CourseLayout, settings: HubSettings, cohort: Cohort, python: str,
                   say=print) -> CourseLayout:
    """The cohort's nbgrader course folder: the course's lessons, its own settings and gradebook, its class list."""
    root = settings.course_root(cohort)
    course = CourseLayout(root)
    course.grading.mkdir(parents=True, exist_ok=True)
    for name, target in (("notebooks", layout.notebooks), ("assets", layout.assets)):
        link = root / name
        if not link.is_symlink():
            link.symlink_to(target.resolve(), target_is_directory=True)
    config = COHORT_CONFIG.format(course_id=cohort.id, course_config=str(layout.nbgrader_config.resolve()),
                                  grading=str(course.grading), exchange=str(settings.exchange),
                                  db_url=cohort.db_url or f"sqlite:///{course.gradebook}",
                                  collect_rule=COLLECT_AS_ACCOUNT if as_root() else COLLECT_ANY_ACCOUNT)
    if not course.nbgrader_config.is_file() or course.nbgrader_config.read_text(encoding="utf-8") != config:
        atomic_write(course.nbgrader_config, config)
    grader = None
    if as_root():
        grader = ensure_account(grader_name(cohort.id), root)
        for path in (root, *root.joinpath("grading").rglob("*"), course.grading):
            if not path.is_symlink() and path.stat().st_uid != grader.pw_uid:
                os.chown(path, grader.pw_uid, grader.pw_gid)
        root.chmod(0o755)
    learners, problems = cohort.learners()
    for problem in problems:
        say(f"Class list of {cohort.id}: {problem}")
    _import_class_list(course, settings, cohort.id, learners, grader, python)
    return course


def _import_class_list(course: CourseLayout, settings: HubSettings, cohort_id: str, learners, grader,
                       python: str) -> None:
    """nbgrader's ``db student import`` of the learners, when the class list changed since the last start."""
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "first_name", "last_name", "email"])
    for learner in learners:
        writer.writerow([learner.id, learner.first_name, learner.last_name, learner.email])
    text = rows.getvalue()
    digest = hashlib.sha256(text.encode()).hexdigest()
    done_file = settings.state / f"class-list-{cohort_id}.sha256"
    if done_file.is_file() and done_file.read_text() == digest and course.gradebook.exists():
        return
    csv_file = course.grading / ".class-list.csv"
    atomic_write(csv_file, text)
    if grader is not None:
        os.chown(csv_file, grader.pw_uid, grader.pw_gid)
    user = {"user": grader.pw_uid, "group": grader.pw_gid} if grader is not None else {}
    env = {**nbgrader_env(), "HOME": str(course.root)}
    env["PATH"] = os.pathsep.join([str(Path(python).parent), env["PATH"]])
    proc = subprocess.run([python, "-m", "nbgrader", "db", "student", "import", csv_file.name],
                          cwd=course.grading, env=env, capture_output=True, text=True, **user)
    if proc.returncode != 0:
        raise HubError(f"nbgrader could not load the class list of {cohort_id}:\n{proc.stdout[-2000:]}"
                       f"{proc.stderr[-2000:]}")
    atomic_write(done_file, digest)


def prepare(layout: CourseLayout, settings: HubSettings, say=print) -> tuple[Path, str]:
    """Everything JupyterHub needs before it starts; the proxy's command and the Python every account runs."""
    from ..publish import SELF_PACED, run

    settings.folder.mkdir(parents=True, exist_ok=True)
    settings.folder.chmod(0o755)
    settings.state.mkdir(mode=0o700, exist_ok=True)
    settings.logs.mkdir(mode=0o700, exist_ok=True)
    settings.homes.mkdir(mode=0o755, exist_ok=True)
    settings.exchange.mkdir(exist_ok=True)
    settings.exchange.chmod(0o777)  # nbgrader's exchange root: every account may add (nbgrader's own rule)
    proxy = ensure_proxy(layout)
    python = shared_python(layout)
    run(SELF_PACED, layout)
    for path in (layout.self_paced, *layout.self_paced.rglob("*")):  # the public view reads it as its own account
        path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    if as_root():
        ensure_account(VIEW_ACCOUNT, settings.folder / "web-view")  # its kernels' runtime files
    else:
        (settings.folder / "web-view").mkdir(exist_ok=True)
        say("Note: not run as root, so every learner's server runs as your own account: fine to try the hub, "
            "but learners are kept apart only by the hub's logins, not by the system. Run as root for a class.")
    for cohort in settings.cohorts:
        prepare_cohort(layout, settings, cohort, python, say)
    return proxy, python


def hub_environment(layout: CourseLayout, settings: HubSettings, proxy: Path, python: str, url: str) -> dict[str, str]:
    env = nbgrader_env()
    env.update(COURSE_HUB_DIR=str(settings.folder), COURSE_ROOT=str(layout.root.resolve()), COURSE_HUB_URL=url,
               COURSE_HUB_PROXY=str(proxy), COURSE_HUB_PYTHON=python)
    return env


def serve(layout: CourseLayout, settings: HubSettings, ip: str, port: int, say=print) -> int:
    """Run JupyterHub until Ctrl+C (or SIGTERM); print the address once it answers."""
    proxy, python = prepare(layout, settings, say)
    url = f"http://{ip}:{port}/"
    log_path = settings.logs / "hub.log"
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG_FILE)]
    stop = {"now": False}

    def interrupt(signum, frame):
        stop["now"] = True
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n--- course hub starting at {time.strftime('%Y-%m-%d %H:%M:%S')} on {url}\n")
        log.flush()
        proc = subprocess.Popen(cmd, cwd=settings.state, env=hub_environment(layout, settings, proxy, python, url),
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not _wait_until_up(proc, f"http://127.0.0.1:{port}/hub/api/" if ip in ("0.0.0.0", "") else url + "hub/api/"):
            _stop(proc)
            raise HubError(f"JupyterHub did not start. What it said is in {log_path}")
        say(f"The class is open at {url}\nLog: {log_path}\nPress Ctrl+C to stop.")
        code = proc.wait()
        say(f"JupyterHub stopped. What it said is in {log_path}")
        return code
    except KeyboardInterrupt:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        _stop(proc)
        say("The class has stopped; everyone's work is kept.")
        return 0


def _wait_until_up(proc: subprocess.Popen, api: str) -> bool:
    deadline = time.monotonic() + STARTUP_SECONDS
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(api, timeout=2) as response:
                if response.status == 200 and "version" in json.loads(response.read()):
                    return True
        except (OSError, ValueError):
            pass
        time.sleep(0.3)
    return False


def _stop(proc: subprocess.Popen) -> None:
    """JupyterHub stops the learners' servers, the services and the proxy when asked to stop."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

