"""A learner's server on the course's JupyterHub: the learner's JupyterLab, lessons arriving by themselves.

The hub's spawner runs ``python -m course_lib.hub.learner`` as the learner (their own system
account when the hub runs as root), in their own folder. It takes the learner's settings from
:func:`course_lib.learner.lab.learner_settings`, the same ones ``course start`` uses, adds
``jupyter/learner/`` beside this file (this module as a server extension; no terminal: a parent
never types a command) and becomes ``jupyterhub-singleuser``.

As a server extension, this module then fetches, now and every :data:`FETCH_SECONDS`, the lessons
the instructor has released and the feedback returned for lessons handed in (:mod:`.exchange`;
never over a lesson the learner has), and serves ``/course/home``, the address the hub opens:
the course home once it has arrived, in the language the learner chose last (the home's link to the
other language chooses it, :mod:`course_lib.preference`; JupyterLab's menus follow), else a page that
says, in every language of the course, that the instructor has not given the course out yet, and
looks again by itself.
"""

from __future__ import annotations

import os
import sys
from html import escape
from pathlib import Path

from .. import preference
from ..i18n import ENGLISH, N_, in_every_language
from ..layout import COURSE_HOME, HOME, in_language, lesson_ids

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
    args, env = learner_settings(root / preference.STATE, course_notebooks(root), env, preference.remembered(root))
    cmd = [sys.executable, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={root}",
           f"--ServerApp.default_url={HOME_URL}", *args]
    return cmd, env


def home_page(root: Path) -> str | None:
    """The course home's path in the learner's folder, in the language they chose last (else English);
    ``None`` until the course has arrived."""
    for name in (in_language(HOME, preference.remembered(root)), HOME):
        if (root / COURSE_HOME / name).is_file():
            return f"{COURSE_HOME}/{name}"
    return None


def waiting_page() -> str:
    """The page a learner sees before the course has arrived: in every language of the course, since
    nobody knows theirs yet."""
    titles, texts = in_every_language(ON_ITS_WAY), in_every_language(NOT_YET)
    body = "".join(f'<h1 lang="{code}">{escape(title)}</h1><p lang="{code}">{escape(text)}</p>'
                   for (code, title), (_code, text) in zip(titles, texts, strict=True))
    return WAITING.format(title=escape(" · ".join(title for _code, title in titles)), seconds=FETCH_SECONDS,
                          language=ENGLISH.code, text=body)


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


ON_ITS_WAY = N_("Your course is on its way")
NOT_YET = N_("Your instructor has not given out the course yet. This page looks again by itself; you do not need to "
             "do anything.")
WAITING = """<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="{seconds}">
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;
color:#1a1a1a}} h1{{font-size:1.5rem;margin:1.2rem 0 0.3rem}}</style></head><body><main>{text}</main></body></html>"""


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
            if home := home_page(root):
                self.redirect(url_path_join(self.base_url, "lab", "tree", home))
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(waiting_page())

    serverapp.web_app.add_handlers(".*$", [(url_path_join(serverapp.base_url, HOME_URL), CourseHome)])


if __name__ == "__main__":
    main()
