"""What every response leaving the server carries, and what an error response may say.

Security headers go on every response, whichever handler made it (Voila's, jupyter_server's,
tornado's own 404): a Content-Security-Policy that runs only the course's own script files
(the template has no inline script, so no 'unsafe-inline' and no 'unsafe-eval' for scripts),
images also as ``data:`` URLs (lessons embed their pictures and downloads that way), no
framing by other sites, no Referer sent elsewhere.

An error page in HTML is replaced by the course's own (plain words, a link home); a 5xx answer
of any kind loses its body, so no traceback or server path can leave in it.

Cookies leave as the course's own do, whichever handler sets them (Voila's ``_xsrf``, Jupyter's
``username-*``): with ``Secure`` when the visitor came over https (the reverse proxy says
``X-Forwarded-Proto: https``), and for the browser session only, not for 30 days
(:class:`SessionCookies`, mixed into every handler of the route table, with :class:`PlainErrors`).
"""

from __future__ import annotations

import json

from tornado import httputil
from tornado.web import OutputTransform

from . import pages

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # widgets set style attributes
    "img-src 'self' data:",
    "font-src 'self' data:",
    "media-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
OWN_PAGE = "X-Course-Page"  # set by the course's handlers on their own pages; never sent


def over_https(request: httputil.HTTPServerRequest) -> bool:
    """The visitor's own connection was https (the server is behind a proxy that says so)."""
    return request.protocol == "https" or request.headers.get("X-Forwarded-Proto") == "https"


class PlainErrors:
    """Mixin for a request handler: an error page is written without looking for Jupyter's error
    templates, which the web view does not have (each error logged three tracebacks looking for
    them). The course's own page replaces it on the way out; an API handler keeps its JSON."""

    def write_error(self, status_code: int, **kwargs) -> None:
        from jupyter_server.base.handlers import APIHandler

        if isinstance(self, APIHandler) or not hasattr(self, "render_template"):
            return super().write_error(status_code, **kwargs)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(f"<!DOCTYPE html>\n<title>{status_code}</title>\n")


class SessionCookies:
    """Mixin for a request handler: every cookie it sets lasts for the browser session only, and is
    ``Secure`` over https (a cookie being deleted is left as it is)."""

    def set_cookie(self, name, value, *args, **kwargs):
        if "expires" not in kwargs:
            kwargs.pop("max_age", None)
            kwargs["expires_days"] = None
            if over_https(self.request):
                kwargs["secure"] = True
        return super().set_cookie(name, value, *args, **kwargs)


def course_responses(base_url: str) -> type[OutputTransform]:
    """The transform class for a server whose course home is under ``base_url``."""
    class CourseResponses(OutputTransform):
        def __init__(self, request: httputil.HTTPServerRequest) -> None:
            self.silenced = False
            self.language = pages.language_for(request.path)  # an error page speaks the page's language

        def transform_first_chunk(self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes,
                                  finishing: bool) -> tuple[int, httputil.HTTPHeaders, bytes]:
            for name, value in SECURITY_HEADERS.items():
                headers[name] = value
            headers.pop("Server", None)
            own = headers.pop(OWN_PAGE, None)
            if status_code < 400 or own:
                return status_code, headers, chunk
            kind = headers.get("Content-Type", "")
            if kind.startswith("text/html"):
                chunk = pages.error(status_code, pages.home_in(base_url, self.language), self.language).encode()
                headers["Content-Type"] = "text/html; charset=UTF-8"
            elif status_code >= 500:
                chunk = json.dumps({"message": "Something went wrong on the server."}).encode()
                headers["Content-Type"] = "application/json"
            else:
                return status_code, headers, chunk
            self.silenced = not finishing  # a body being streamed: drop the rest of it
            if finishing:
                headers["Content-Length"] = str(len(chunk))
            else:
                headers.pop("Content-Length", None)
            return status_code, headers, chunk

        def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
            return b"" if self.silenced else chunk

    return CourseResponses
