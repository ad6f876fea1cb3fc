"""What the learner's JupyterLab writes when it saves a course page: nothing.

A course notebook (a lesson, a course page or a tool) is the course's, not the learner's: their
answers live in ``my-answers.json``, written by the page's own Save and Check buttons. So the
server reports a course notebook as read-only (JupyterLab then never autosaves it and never asks
"Save changes?") and refuses to write or rename one, whatever the browser sends: two stray key presses and
an autosave can no longer change a lesson on disk. ``course start`` repairs a copy changed before
this was so (:mod:`course_lib.workspace`).

A course notebook is one the course put in the learner's folder: the paths in the course's page
config (``courseNotebooks`` in ``<JUPYTER_CONFIG_DIR>/labconfig/page_config.json``, written by
:func:`course_lib.learner.lab.write_page_config`), the same list the course-learner extension reads.
A notebook of the learner's own, or a copy saved under another name, is saved as usual.

Set as ``ServerApp.contents_manager_class`` in ``jupyter/jupyter_server_config.json``, which only
the learner's JupyterLab reads (``course start``, or a learner's server on the course's hub). What it
says when it refuses (JupyterLab shows it) is in the page's language, from the notebook's metadata.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web

from ..i18n import N_, Language, page_language

NOT_RENAMED = N_("This is a page of the course, so its name stays as it is: the course's links lead to it.")
READ_ONLY = N_("This is a page of the course, so it is not saved: your answers are saved by the page's own buttons. "
               "To keep a copy you can change, use File > Save Notebook As.")
LARGEST_PAGE = 20_000_000  # bytes: a course page is far smaller; anything larger is not read for its language


def course_paths() -> frozenset[str]:
    """The course notebooks' paths (from the workspace's top), as the page config names them."""
    from jupyter_core.paths import jupyter_config_dir

    path = Path(jupyter_config_dir()) / "labconfig" / "page_config.json"
    try:
        stamp = path.stat().st_mtime_ns
        if _cache.get("stamp") != stamp:
            names = json.loads(path.read_text(encoding="utf-8")).get("courseNotebooks")
            _cache.update(stamp=stamp, paths=frozenset(n for n in names if isinstance(n, str))
                          if isinstance(names, list) else frozenset())
    except (OSError, ValueError, AttributeError):
        return frozenset()
    return _cache["paths"]


_cache: dict = {}


def language_of(os_path: str) -> Language:
    """The language a course page on disk is written in (its metadata says so), else English."""
    try:
        if os.path.getsize(os_path) <= LARGEST_PAGE:
            with open(os_path, encoding="utf-8") as f:
                return page_language(json.load(f)["metadata"]["course"]["language"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return page_language(None)


class CourseContentsManager(AsyncLargeFileManager):
    """Jupyter Server's own file manager, with the course's notebooks read-only."""

    def is_course(self, path: str) -> bool:
        return path.strip("/") in course_paths()

    def _refusal(self, path: str, message: str) -> web.HTTPError:
        return web.HTTPError(403, language_of(self._get_os_path(path.strip("/")))._(message))

    def is_writable(self, path):
        return not self.is_course(path) and super().is_writable(path)

    async def rename_file(self, old_path, new_path):
        if self.is_course(old_path):
            raise self._refusal(old_path, NOT_RENAMED)
        return await super().rename_file(old_path, new_path)

    async def save(self, model, path=""):
        if self.is_course(path) and os.path.exists(self._get_os_path(path.strip("/"))):
            raise self._refusal(path, READ_ONLY)
        return await super().save(model, path)
