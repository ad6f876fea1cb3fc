"""Standalone Voila, hardened for strangers on the internet (docs/web-view.md explains each part).

* :mod:`~course_lib.web.gate`: Host, Origin and kernel ownership checked before any handler;
* :mod:`~course_lib.web.visits`: a kernel only for a real page view, within the caps;
* :mod:`~course_lib.web.kernels`: the caps, who owns which kernel, why one ended;
* :mod:`~course_lib.web.warm`: warm kernels that become whichever page is asked for;
* :mod:`~course_lib.web.channels`: bounded messages in, no error or stderr message out;
* :mod:`~course_lib.web.limits`: open files and each kernel's memory;
* :mod:`~course_lib.web.responses`: security headers, session cookies, the course's own error pages;
* ``/en/``, ``/es/``: the course home in each of its languages (the pages link to each other).

Run as ``python -m course_lib.web.server``, with Voila's own command-line options and the
settings of :mod:`course_lib.web.settings` (``--CourseKernelManager.max_kernels=...``).
"""

from __future__ import annotations

import functools

from jupyter_server.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop
from tornado.routing import Rule
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import i18n
from ..page_scripts import PAGE_SCRIPTS
from . import limits, pages
from .channels import ChannelsHandler
from .gate import Gate, KernelRoutes, Refusal, allowed_hosts
from .kernels import CourseKernelManager
from .responses import PlainErrors, SessionCookies, course_responses
from .settings import SETTINGS
from .visits import LessonHandler

IDLE_CONNECTION_SECONDS = 75  # an idle browser connection is closed then (as nginx does), freeing its descriptor


class TemplateFiles(TemplateStaticFileHandler):
    """Voila's template files, where a path that is not ``<template>/static/<file>`` is not found (Voila's
    own handler fails on it with a 500 and a traceback in the log)."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or not parts[2]:
            raise web.HTTPError(404)
        return super().parse_url_path(path)


_OURS = {TornadoVoilaHandler: LessonHandler, VoilaKernelWebsocketHandler: ChannelsHandler,
         TemplateStaticFileHandler: TemplateFiles}


@functools.cache
def _ours(handler: type) -> type:
    """The handler the course serves in the place of one of Voila's: its own, with session cookies and
    plain error pages."""
    handler = _OURS.get(handler, handler)
    return type(handler.__name__, (SessionCookies, PlainErrors, handler), {"__doc__": handler.__doc__})


class CourseVoila(Voila):
    allowed_hosts = SETTINGS["allowed_hosts"].trait()
    classes = [*Voila.classes, CourseKernelManager]
    open_files = None  # the open-files limit, once raised

    def initialize(self, argv=None):
        self.open_files = limits.raise_open_files()
        super().initialize(argv)

    def setup_template_dirs(self):
        super().setup_template_dirs()
        self.static_paths.insert(0, str(PAGE_SCRIPTS))  # /voila/static/course-a11y.js, shared with JupyterLab

    def init_settings(self) -> dict:
        self.voila_configuration.multi_kernel_manager_class = CourseKernelManager
        settings = super().init_settings()
        settings["xsrf_cookie_kwargs"] = {"samesite": "Strict"}  # the page's script reads it: not HttpOnly
        self.identity_provider.cookie_options = {**self.identity_provider.cookie_options, "samesite": "Strict"}
        self._size_for_open_files()
        IOLoop.current().add_callback(self.kernel_manager.fill_warm)  # once the server runs
        return settings

    def init_handlers(self) -> list:
        """Voila's handlers with ours in their place, behind the gate, without the login pages (a
        visitor has no account); and every response's headers."""
        voilas = [spec for spec in super().init_handlers() if not spec[0].endswith(("/login", "/logout"))]
        routes = KernelRoutes(voilas)
        self.app.settings["course_kernel_routes"] = routes
        self.app.add_transform(course_responses(self.base_url))
        # Behind the proxy, X-Forwarded-Proto/-For say how the visitor came (only the proxy reaches 127.0.0.1)
        self.app.listen = functools.partial(self.app.listen, xheaders=True,
                                            idle_connection_timeout=IDLE_CONNECTION_SECONDS)
        gate = Gate(lambda: allowed_hosts(self.allowed_hosts, self.port), routes, self.kernel_manager)
        home = (url_path_join(self.server_url, r"/([a-z]{2,3})/?"), _ours(LanguageHome))
        return [Rule(gate, Refusal), home, *[(spec[0], _ours(spec[1]), *spec[2:]) for spec in voilas]]

    def _size_for_open_files(self) -> None:
        """Lower the kernel cap to what the open-files limit holds, and say so in the log."""
        files, manager = self.open_files or limits.raise_open_files(), self.kernel_manager
        room = files.room_for_kernels(limits.files_in_use() or 0)
        self.log.info("Open files: %d allowed (%s; hard limit %d). At about %d per visitor (a kernel, its page's "
                      "websocket, the browser's connections) that is room for %d kernels.", files.soft,
                      "the hard limit" if files.raised_from is None else f"raised from {files.raised_from}",
                      files.hard, limits.PER_VISITOR, room)
        if manager.max_kernels <= 0 or room < manager.max_kernels:
            self.log.warning("Kernel cap: %d, not %s, for the open-files limit. Raise the limit (ulimit -n, "
                             "LimitNOFILE=) for more.", room, manager.max_kernels or "unlimited")
            manager.max_kernels = max(1, room)


class LanguageHome(web.RequestHandler):
    """``/es/``: the course home in Spanish (``/en/`` in English), the address to give a family."""

    def get(self, code: str) -> None:
        if code not in i18n.languages():
            raise web.HTTPError(404)
        self.redirect(pages.home_in(self.settings.get("base_url", "/"), i18n.language(code)))


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
