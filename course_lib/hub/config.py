"""The course's JupyterHub configuration, from the hub folder (``jupyterhub_config.py`` calls :func:`configure`).

nbgrader's multi-class arrangement (its ``demos/demo_multiple_classes``), one cohort per nbgrader
course: the group ``nbgrader-<cohort>`` holds its learners, ``formgrade-<cohort>`` its instructors,
who reach the hub service ``<cohort>`` (a Jupyter server in the cohort's course folder, run as the
cohort's grader account: nbgrader's formgrader and the course's instructor page). Beside them, the
read-only web view (``course-view``, no login) and the idle culler. :mod:`.command` prepares
everything this reads; the environment says where: ``COURSE_HUB_DIR`` (the hub folder),
``COURSE_ROOT`` (the course), ``COURSE_HUB_URL`` (the address to listen on), ``COURSE_HUB_PROXY``
(the proxy's command), ``COURSE_HUB_PYTHON`` (the Python every account can run: :mod:`.runtime`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..i18n import N_, html_in_every_language
from .auth import login_note
from .settings import VIEW_ACCOUNT, HubSettings, grader_name

HERE = Path(__file__).resolve().parent
VIEW = "course-view"
FULL_TITLE = N_("The course is full right now")
FULL = N_("The course is full right now. Try again in a few minutes: your work is kept.")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def instructor_url(cohort_id: str) -> str:
    return f"/services/{cohort_id}/course/class"


def _landing(handler) -> str:
    """Where the hub sends someone who arrives: an instructor to their instructor page, a learner to their lessons."""
    groups = sorted(g.name for g in getattr(handler.current_user, "groups", None) or [])
    teaching = [g.removeprefix("formgrade-") for g in groups if g.startswith("formgrade-")]
    return handler.base_url.rstrip("/") + instructor_url(teaching[0]) if teaching else handler.hub.base_url + "spawn"


def configure(c, folder: Path | None = None) -> HubSettings:
    from .spawner import as_root

    folder = Path(folder or os.environ["COURSE_HUB_DIR"])
    settings = HubSettings.load(folder)
    course_root = Path(os.environ["COURSE_ROOT"])
    root = as_root()
    python = os.environ.get("COURSE_HUB_PYTHON", sys.executable)
    path = os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", "")])

    c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_URL", "http://127.0.0.1:8000/")
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{free_port()}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_port()}"
    c.ConfigurableHTTPProxy.command = [os.environ["COURSE_HUB_PROXY"]]
    c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(settings.state / "jupyterhub.pid")
    c.JupyterHub.template_paths = [str(HERE / "templates")]
    # the hub's pages before a learner's own server: in every language, nobody knows theirs yet
    c.JupyterHub.template_vars = {"announcement_login": login_note(), "course_full_title": html_in_every_language(
        FULL_TITLE, "span", " · "), "course_full": html_in_every_language(FULL)}
    c.JupyterHub.default_url = _landing
    c.JupyterHub.active_server_limit = settings.max_servers
    c.JupyterHub.allow_named_servers = False

    # -- accounts and groups ----------------------------------------------------------------------------
    c.JupyterHub.authenticator_class = "course_lib.hub.auth.CourseAuthenticator"
    c.CourseAuthenticator.dbm_path = str(settings.state / "passwords.dbm")
    learners = {c_.id: [learner.id for learner in c_.learners()[0]] for c_ in settings.cohorts}
    instructors = sorted({i for c_ in settings.cohorts for i in settings.instructors_of(c_)})
    c.Authenticator.allowed_users = {*instructors, *(n for names in learners.values() for n in names)}
    # Instructors add and remove learners (a removed learner's password is forgotten: a reset) and
    # stop servers; they do not open learners' servers.
    groups, roles = {}, [{"name": "instructor", "groups": ["instructors"],
                          "scopes": ["admin-ui", "admin:users", "admin:groups", "admin:servers", "list:users",
                                     "read:users", "list:services", "read:services"]}]
    groups["instructors"] = {"users": instructors}
    for cohort in settings.cohorts:
        groups[f"nbgrader-{cohort.id}"] = {"users": learners[cohort.id]}
        groups[f"formgrade-{cohort.id}"] = {"users": settings.instructors_of(cohort)}
        roles.append({"name": f"formgrade-{cohort.id}", "groups": [f"formgrade-{cohort.id}"],
                      "scopes": [f"access:services!service={cohort.id}"]})
    c.JupyterHub.load_groups = groups

    # -- learners' servers ------------------------------------------------------------------------------
    c.JupyterHub.spawner_class = "course_lib.hub.spawner.CourseSpawner"
    c.CourseSpawner.homes = str(settings.homes)
    c.CourseSpawner.exchange = str(settings.exchange)
    c.CourseSpawner.cmd = [python, "-m", "course_lib.hub.learner"]
    c.Spawner.mem_limit = settings.memory_limit
    c.Spawner.start_timeout = 180
    c.Spawner.http_timeout = 180
    c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "VIRTUAL_ENV", "PYTHONPATH"]

    # -- services ---------------------------------------------------------------------------------------
    services = []
    for cohort in settings.cohorts:
        grading = settings.course_root(cohort) / "grading"
        service = {"name": cohort.id, "url": f"http://127.0.0.1:{free_port()}", "cwd": str(grading),
                   "display": True, "oauth_no_confirm": True,
                   "command": [python, "-m", "course_lib.hub.instructor"],
                   "environment": {"PATH": path, "COURSE_HUB_COURSE": cohort.id,
                                   "COURSE_HUB_EXCHANGE": str(settings.exchange),
                                   "COURSE_HUB_DIR": str(folder), "COURSE_ROOT": str(course_root),
                                   "HOME": str(grading.parent)}}
        if root:
            service["user"] = grader_name(cohort.id)
        services.append(service)
    from ..web import voila_command

    view_port = free_port()
    public = c.JupyterHub.bind_url.split("://", 1)[1].split("/", 1)[0]
    hosts = {public, *(h.strip() for h in os.environ.get("COURSE_HUB_HOSTS", "").split(",") if h.strip())}
    view_cmd, view_env = voila_command(course_root / "build" / "self-paced", view_port,
                                       allowed_hosts=tuple(sorted(hosts)))
    view_cmd[0] = python
    view_cmd.append(f"--Voila.base_url=/services/{VIEW}/")
    view = {"name": VIEW, "url": f"http://127.0.0.1:{view_port}", "command": view_cmd, "display": False,
            "cwd": str(folder / "web-view"),
            "environment": {**{k: v for k, v in view_env.items() if k in ("COURSE_READONLY", "JUPYTER_PATH")},
                            "PATH": path, "HOME": str(folder / "web-view")}}
    if root:
        view["user"] = VIEW_ACCOUNT  # strangers' pages run as an account that owns nothing
    services.append(view)
    services.append({"name": "idle-culler", "command": [python, "-m", "jupyterhub_idle_culler",
                                                       f"--timeout={settings.idle_minutes * 60}", "--cull-every=60"]})
    roles.append({"name": "idle-culler", "services": ["idle-culler"],
                  "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles
    return settings
