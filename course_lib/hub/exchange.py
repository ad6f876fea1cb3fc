"""The learner's side of nbgrader's exchange, called by the course (never typed by a learner).

Each call is nbgrader's own exchange class (``ExchangeFetchAssignment``, ``ExchangeSubmit``,
``ExchangeFetchFeedback``, ``ExchangeList``) made by nbgrader's ``ExchangeFactory``, so the same
calls work with nbgrader's folder exchange on one machine and with ngshare on Kubernetes. The
settings are nbgrader's config files, as ``nbgrader submit`` reads them, with the hub's on top
(environment variables its spawner sets): the cohort (``COURSE_HUB_COURSE``), the exchange folder
(``COURSE_HUB_EXCHANGE``) and the learner's login (``JUPYTERHUB_USER``; their system account is
``learner-<login>``, and nbgrader would otherwise take that as their id).

The learner's course folder (``root``) holds one folder per lesson, as ``nbgrader fetch_assignment``
makes them. nbgrader never fetches a lesson over one that is there, so a learner's work is never
overwritten. Everything here imports nbgrader, so only the learner's server and a lesson's "Hand
in" button (when pressed) import this module; a lesson's kernel does not otherwise.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger("course.exchange")
QUIET = logging.getLogger("course.exchange.nbgrader")  # nbgrader lists every lesson at each look: kept out of the log
QUIET.setLevel(logging.WARNING)


class HandInError(RuntimeError):
    """A hand-in did not reach the instructor (logged here; the lesson says so in the learner's words)."""


def learner_config(root: Path):
    """nbgrader's settings for the learner whose course folder is ``root``."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in reversed([str(root), *jupyter_config_path()]):  # the first one wins, as nbgrader reads them
        if os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
    if course := os.environ.get("COURSE_HUB_COURSE"):
        config.CourseDirectory.course_id = course
    if exchange := os.environ.get("COURSE_HUB_EXCHANGE"):
        config.Exchange.root = exchange
    if login := os.environ.get("JUPYTERHUB_USER"):
        config.CourseDirectory.student_id = login
    config.CourseDirectory.root = str(root)
    config.Exchange.assignment_dir = str(root)
    config.Exchange.path_includes_course = False
    return config


def _exchange(kind: str, root: Path, lesson: str | None = None, **settings):
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    config = learner_config(root)
    for name, value in settings.items():
        setattr(config[f"Exchange{kind}"], name, value)
    coursedir = CourseDirectory(config=config)
    if lesson is not None:
        coursedir.assignment_id = lesson
    factory = ExchangeFactory(config=config)
    return getattr(factory, kind)(coursedir=coursedir, authenticator=Authenticator(config=config), config=config,
                                  log=QUIET)


def released(root: Path) -> list[str]:
    """The lessons the instructor has released to this learner's cohort."""
    listing = _exchange("List", root).start()
    return sorted({a["assignment_id"] for a in listing if a.get("status") in ("released", "fetched")})


def fetch_released(root: Path) -> list[str]:
    """Fetch every released lesson the learner's folder does not have yet; the ones fetched."""
    fetched = []
    for lesson in released(root):
        if (root / lesson).exists():
            continue  # theirs: nbgrader would refuse anyway, and nothing of theirs is touched
        try:
            _exchange("FetchAssignment", root, lesson).start()
            fetched.append(lesson)
        except Exception as exc:  # one lesson that cannot come must not stop the others
            log.warning("could not fetch %s: %s", lesson, exc)
    return fetched


def hand_in(root: Path, lesson: str) -> str:
    """nbgrader's submit of ``root/lesson``; the time nbgrader recorded for it."""
    from nbgrader.exchange import ExchangeError

    try:
        submit = _exchange("Submit", root, lesson)
        submit.start()
    except (ExchangeError, OSError) as exc:
        log.warning("hand-in of %s failed: %s", lesson, exc)
        raise HandInError(f"hand-in of {lesson} failed: {exc}") from exc
    return str(submit.timestamp)


def fetch_feedback(root: Path) -> list[str]:
    """Fetch the feedback released for any lesson the learner handed in; the lessons that got new feedback."""
    listing = _exchange("List", root, cached=True).start()  # per lesson, its hand-ins ("submissions")
    # per notebook, not per hand-in: nbgrader calls a hand-in's feedback ready only when every notebook
    # in it has some, and a lesson handed in carries its other language's notebook, which is never graded
    lessons = sorted({a["assignment_id"] for a in listing for s in a.get("submissions", [])
                      for nb in s.get("notebooks", []) if nb.get("has_exchange_feedback")
                      and (not nb.get("has_local_feedback") or nb.get("feedback_updated"))})
    for lesson in lessons:
        try:
            _exchange("FetchFeedback", root, lesson).start()
        except Exception as exc:
            log.warning("could not fetch feedback for %s: %s", lesson, exc)
    return lessons
