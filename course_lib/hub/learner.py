"""A learner's server on the course's JupyterHub: the learner's JupyterLab, lessons arriving by themselves.

The hub's spawner runs ``python -m course_lib.hub.learner`` as the learner (their own system
account when the hub runs as root), in their own folder. It takes the learner's settings from
:func:`course_lib.learner.lab.learner_settings`, the same ones ``course start`` uses, adds
``jupyter/learner/`` beside this file (this module as a server extension; no terminal: a parent
never types a command) and becomes ``jupyterhub-singleuser``.

As a server extension, this module then fetches, now and every :data:`FETCH_SECONDS`, the lessons
the instructor has released and the feedback returned for lessons handed in (:mod:`.exchange`;
never over a lesson the learner has), and serves ``/course/home``, the address the hub opens:
the course home once it has arrived, else a page that says the instructor has not given the
course out yet and looks again by itself.
"""

from __future__ import annotations

import os
import sys
from html import escape
from pathlib import Path

from ..layout import COURSE_HOME, HOME, lesson_ids

HERE = Path(__file__).resolve().parent
HUB_CONFIG = HERE / "jupyter" / "learner"
FETCH_SECONDS = 20
HOME_URL = "/course/home"


def course_notebooks(root: Path) -> list[str]:
    """The notebooks the course gave this learner: those of lesson folders and of the course pages."""
    folders = [*lesson_ids(root), COURSE_HOME]
    return sorted(p.relative_to(root).as_posix() for f in folders for p in (root / f).glob("*.ipynb")
                  if not p.name.startswith("."))


def server_command(root: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    from ..learner.lab import learner_settings

    env = dict(env)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(HUB_CONFIG), env.get("JUPYTER_CONFIG_PATH")) if p)
    args, env = learner_settings(root / ".jupyter", course_notebooks(root), env)
    cmd = [sys.executable, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={root}",
           f"--ServerApp.default_url={HOME_URL}", *args]
    return cmd, env


def main() -> None:
    root = Path.cwd().resolve()
    cmd, env = server_command(root, os.environ)
    os.execve(cmd[0], cmd, env)


# -- the server extension ---------------------------------------------------------------------------------
class Arrivals:
    """Lessons and feedback coming into the learner's folder from the exchange."""

    def __init__(self, root: Path, log):
        self.root, self.log = root, log

    def run(self) -> None:
        from ..learner.lab import write_page_config
        from . import exchange

        try:
            lessons = exchange.fetch_released(self.root)
            feedback = exchange.fetch_feedback(self.root)
        except Exception as exc:  # the exchange is away for a moment: the next round tries again
            self.log.warning("course: could not look for new lessons or feedback: %s", exc)
            return
        if lessons or feedback:
            self.log.info("course: lessons arrived %s; feedback arrived for %s", lessons, feedback)
        if lessons:
            write_page_config(self.root / ".jupyter", course_notebooks(self.root))


WAITING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="{seconds}">
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;
color:#1a1a1a}}</style></head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"""


def _jupyter_server_extension_points():
    return [{"module": "course_lib.hub.learner"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web
    from tornado.ioloop import IOLoop, PeriodicCallback

    root = Path(serverapp.root_dir).resolve()
    arrivals = Arrivals(root, serverapp.log)
    arrivals.run()  # now, so that a learner's first visit finds the course home

    def later() -> None:
        IOLoop.current().run_in_executor(None, arrivals.run)

    PeriodicCallback(later, FETCH_SECONDS * 1000).start()

    class CourseHome(JupyterHandler):
        @web.authenticated
        def get(self) -> None:
            if (root / COURSE_HOME / HOME).is_file():
                self.redirect(url_path_join(self.base_url, "lab", "tree", COURSE_HOME, HOME))
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(WAITING.format(title=escape("Your course is on its way"), seconds=FETCH_SECONDS,
                                       text=escape("Your instructor has not given out the course yet. This page "
                                                   "looks again by itself; you do not need to do anything.")))

    serverapp.web_app.add_handlers(".*$", [(url_path_join(serverapp.base_url, HOME_URL), CourseHome)])


if __name__ == "__main__":
    main()
