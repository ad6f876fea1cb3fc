"""Standalone Voila, hardened for strangers on the internet (docs/web-view.md explains each part).

* :mod:`~course_lib.web.gate`: Host, Origin and kernel ownership checked before any handler;
* :mod:`~course_lib.web.visits`: a kernel only for a real page view, within the caps;
* :mod:`~course_lib.web.kernels`: the caps, who owns which kernel, unclaimed kernels ended;
* :mod:`~course_lib.web.channels`: no error or stderr message reaches the browser;
* :mod:`~course_lib.web.responses`: security headers, the course's own error pages;
* ``/en/``, ``/es/``: the course home in each of its languages (the pages link to each other).

Run as ``python -m course_lib.web.server``, with Voila's own command-line options and
``--CourseVoila.allowed_hosts=...`` and ``--CourseKernelManager.max_kernels=...`` (and the
other settings in :mod:`course_lib.web.kernels`).
"""

from __future__ import annotations

import tornado.web
from jupyter_server.utils import url_path_join
from tornado.routing import Rule
from traitlets import List, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import i18n
from . import pages
from .channels import ChannelsHandler
from .gate import Gate, Refusal, allowed_hosts
from .kernels import CourseKernelManager
from .responses import course_responses
from .visits import LessonHandler

_OURS = {TornadoVoilaHandler: LessonHandler, VoilaKernelWebsocketHandler: ChannelsHandler}


class CourseVoila(Voila):
    allowed_hosts = List(Unicode(), config=True,
                         help="Host names (host or host:port) served besides 127.0.0.1:PORT and localhost:PORT, "
                              "e.g. the public name a reverse proxy forwards with its Host header.")
    classes = [*Voila.classes, CourseKernelManager]

    def init_settings(self) -> dict:
        self.voila_configuration.multi_kernel_manager_class = CourseKernelManager
        settings = super().init_settings()
        settings["xsrf_cookie_kwargs"] = {"samesite": "Strict"}  # the page's script reads it: not HttpOnly
        self.identity_provider.cookie_options = {**self.identity_provider.cookie_options, "samesite": "Strict"}
        return settings

    def init_handlers(self) -> list:
        """Voila's handlers with two of ours in their place, behind the gate; and every response's headers."""
        gate = Gate(self.server_url, lambda: allowed_hosts(self.allowed_hosts, self.port), self.kernel_manager.owner)
        self.app.add_transform(course_responses(self.base_url))
        handlers = [(h[0], _OURS.get(h[1], h[1]), *h[2:]) for h in super().init_handlers()]
        home = (url_path_join(self.server_url, r"/([a-z]{2,3})/?"), LanguageHome)
        return [Rule(gate, Refusal), home, *handlers]


class LanguageHome(tornado.web.RequestHandler):
    """``/es/``: the course home in Spanish (``/en/`` in English), the address to give a family."""

    def get(self, code: str) -> None:
        if code not in i18n.languages():
            raise tornado.web.HTTPError(404)
        self.redirect(pages.home_in(self.settings.get("base_url", "/"), i18n.language(code)))


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
