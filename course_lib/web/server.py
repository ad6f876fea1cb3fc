"""Standalone Voila with one fix: a closed tab gives its kernel back at once.

When a tab closes, Voila's page asks the server to shut its kernel down and sends the value of
the ``_xsrf`` cookie, which the server checks. Voila 0.5 sets that cookie only on its directory
pages, so for a visitor who came straight to a lesson (a link, a bookmark) the request was
refused and the kernel kept its memory until the idle cull (voila-dashboards/voila#1458).
Lesson pages here set the cookie too. Run as ``python -m course_lib.web.server``, with Voila's
own command-line options.
"""

from __future__ import annotations

from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler


class LessonHandler(TornadoVoilaHandler):
    """Voila's page handler, which also sets the ``_xsrf`` cookie the page sends when it closes."""

    async def prepare(self, **kwargs):
        await super().prepare(**kwargs)
        self.xsrf_token  # noqa: B018 - reading the token is what sets the cookie


class CourseVoila(Voila):
    def init_handlers(self) -> list:
        return [(h[0], LessonHandler, *h[2:]) if h[1] is TornadoVoilaHandler else h for h in super().init_handlers()]


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
