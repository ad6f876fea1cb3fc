"""The checks every request passes before any of Voila's handlers sees it.

* **Host** must be one the course is served as (DNS rebinding: a stranger's site whose name
  points at 127.0.0.1 must not reach the course through the visitor's browser).
* **Origin**, on websockets and on requests that change something (POST, DELETE...), must be
  such a host too: another site's page cannot talk to the course in the visitor's name.
* **A kernel's own endpoints** (its channels websocket, its shutdown, its details) answer only
  the page that started it: the ``course_page`` cookie, set by that page's response for that
  kernel's paths alone, must hold the page's key. A kernel id seen in a page, a log or a
  screenshot is not enough to read or end someone's session, and two tabs opened at once on a
  first visit each keep their own key (a single visitor cookie would be overwritten by the last).
  The endpoints are found in Voila's own route table (:class:`KernelRoutes`), not kept by hand.

Refused requests get a short plain-text answer (400 or 403; 410 with the reason for a page whose
kernel has ended) and never reach a handler that could start or touch a kernel. The gate is a
tornado routing rule placed in front of Voila's handlers.
"""

from __future__ import annotations

import hmac
import inspect
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from tornado import httputil, web
from tornado.routing import Matcher, PathMatches

SESSION_COOKIE = "course_visitor"
PAGE_COOKIE = "course_page"
_SAFE_METHODS = {"GET", "HEAD"}
_VERBS = ("get", "head", "post", "put", "patch", "delete", "open")


def allowed_hosts(extra: list[str], port: int) -> set[str]:
    """``host[:port]`` values the server answers to: itself on 127.0.0.1 and localhost, and ``extra``."""
    return {f"127.0.0.1:{port}", f"localhost:{port}", *(h.strip().lower() for h in extra if h.strip())}


def _origin_host(origin: str) -> str | None:
    parts = urlsplit(origin)
    return parts.netloc.lower() if parts.scheme in ("http", "https") else None


def _takes_kernel_id(handler: type) -> bool:
    for verb in _VERBS:
        method = getattr(handler, verb, None)
        if method is not None and "kernel_id" in inspect.signature(method).parameters:
            return True
    return False


class KernelRoutes:
    """The routes of a route table whose handlers act on one kernel (a ``kernel_id`` argument)."""

    def __init__(self, handlers: list):
        self.routes = [PathMatches(spec[0]) for spec in handlers if _takes_kernel_id(spec[1])]

    def kernel_in(self, path: str) -> str | None:
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                return found.groupdict().get("kernel_id") or found.group(1)
        return None

    def cookie_paths(self, kernel_id: str) -> list[str]:
        """The shortest paths that cover every endpoint of ``kernel_id`` (where its page key is sent)."""
        paths = sorted({route.reverse(kernel_id) for route in self.routes if route._path is not None})
        return [p for p in paths if not any(p.startswith(q + "/") for q in paths if q != p)]


def page_keys(request: httputil.HTTPServerRequest) -> list[str]:
    """Every ``course_page`` value the browser sent (one per matching path; a browser may send several)."""
    pairs = (part.strip().partition("=") for header in request.headers.get_list("Cookie") for part in header.split(";"))
    return [value for name, _, value in pairs if name == PAGE_COOKIE and value]


class Gate(Matcher):
    """Matches (so routes to :class:`Refusal`) the requests that must not go further."""

    def __init__(self, hosts: Callable[[], set[str]], routes: KernelRoutes, kernels):
        self.hosts, self.routes, self.kernels = hosts, routes, kernels

    def match(self, request: httputil.HTTPServerRequest) -> dict | None:
        refusal = self.refusal(request)
        if refusal is None:
            return None
        return {"target_kwargs": dict(zip(("status", "text", "reason"), refusal, strict=False))}

    def refusal(self, request: httputil.HTTPServerRequest) -> tuple | None:
        hosts = self.hosts()
        if request.headers.get("Host", "").lower() not in hosts:
            return 400, "This server does not serve that host name."
        origin = request.headers.get("Origin")
        changes = request.method not in _SAFE_METHODS or request.headers.get("Upgrade", "").lower() == "websocket"
        if origin is not None and changes and _origin_host(origin) not in hosts:
            return 403, "Requests from other sites are not accepted."
        kernel = self.routes.kernel_in(request.path)
        if kernel:
            keys, key = page_keys(request), self.kernels.key_of(kernel)
            if key and any(hmac.compare_digest(key, k) for k in keys):
                return None
            why = self.kernels.why_ended(kernel, keys)
            if why:
                return 410, "This page's lesson has ended.", why
            return 403, "This lesson belongs to another page."
        return None


class Refusal(web.RequestHandler):
    """A short answer, whatever the method: JSON for the API (the page's script reads it), else plain text."""

    def initialize(self, status: int, text: str, reason: str | None = None) -> None:
        self.status, self.text, self.reason = status, text, reason

    def prepare(self) -> None:
        self.set_status(self.status)
        if "/api/" in self.request.path:
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"message": self.text, **({"reason": self.reason} if self.reason else {})}))
        else:
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(self.text + "\n")

    def check_xsrf_cookie(self) -> None:  # the answer is a refusal anyway
        pass
