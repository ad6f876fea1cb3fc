"""Clients for the web view's security tests: plain HTTP like curl or a browser's navigation, and
a raw kernel websocket speaking Jupyter's v1 protocol (no browser, no cookies unless given)."""

from __future__ import annotations

import asyncio
import datetime
import json
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1

V1 = "v1.kernel.websocket.jupyter.org"
LESSON = "01-what-is-ot"
PAGE = f"/voila/render/{LESSON}/{LESSON}.ipynb"
OTHER_PAGE = "/voila/render/02-why-schools-provide-ot/02-why-schools-provide-ot.ipynb"
READY = ".course-question button"  # a lesson page's widgets are live
# What a browser sends when the visitor opens a page by typing, a bookmark or the course's own link.
NAVIGATION = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document",
              "Accept": "text/html"}


@dataclass
class Reply:
    status: int
    headers: object  # email.message.Message: .get(), .get_all()
    body: str

    def cookies(self) -> dict[str, str]:
        """Set-Cookie values by cookie name (the whole header line, attributes included)."""
        return {line.split("=", 1)[0]: line for line in self.headers.get_all("Set-Cookie") or []}

    def cookie_header(self) -> str:
        return "; ".join(line.split(";", 1)[0] for line in self.headers.get_all("Set-Cookie") or [])


class Jar:
    """A browser's cookies for one server: each kept by name and path, and sent only where its path
    matches, as a browser does (a page's key goes only to its own kernel's endpoints)."""

    def __init__(self):
        self.cookies: dict[tuple[str, str], str] = {}

    def keep(self, reply: Reply) -> Reply:
        for line in reply.headers.get_all("Set-Cookie") or []:
            name, value = line.split(";", 1)[0].split("=", 1)
            path = re.search(r";\s*Path=([^;]*)", line, re.I)
            self.cookies[(name.strip(), path.group(1) if path else "/")] = value
        return reply

    def header(self, path: str) -> str:
        sent = [(p, n, v) for (n, p), v in self.cookies.items()
                if p == "/" or path == p or path.startswith(p.rstrip("/") + "/")]
        return "; ".join(f"{n}={v}" for p, n, v in sorted(sent, key=lambda c: -len(c[0])))

    def for_kernel(self, kernel: str) -> str:
        """What a browser sends to a kernel's channels websocket."""
        return self.header(f"/api/kernels/{kernel}/channels")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None,
          timeout: float = 120) -> Reply:
    """One HTTP request, no cookies kept, redirects not followed, errors returned, not raised."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read().decode(errors="replace"))


def kernel_id(html: str) -> str:
    return re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1)


def widget_ids(html: str) -> list[str]:
    return re.findall(r'"model_id": "([0-9a-f]+)"', html)


def kernel_pids(server: subprocess.Popen) -> list[int]:
    """The server's kernels (its ipykernel children)."""
    out = subprocess.run(["ps", "--ppid", str(server.pid), "-o", "pid=,args="], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "ipykernel" in line]


def kernels(server: subprocess.Popen) -> int:
    """How many kernels the server process has running."""
    return len(kernel_pids(server))


def wait_for(condition, seconds: float, every: float = 0.3) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def wait_for_http(url: str, server: subprocess.Popen, log, seconds: float = 90) -> None:
    """Wait until ``url`` answers (any status); fail with the server's log if it never does."""
    import pytest

    if not wait_for(lambda: server.poll() is not None or _up(url), seconds) or server.poll() is not None:
        pytest.fail(f"the server did not answer {url}:\n" + log.read_text()[-3000:])


def _up(url: str) -> bool:
    try:
        fetch(url, timeout=5)
        return True
    except OSError:
        return False


def message(kind: str, content: dict, session: str) -> bytes:
    """A message from a page to its kernel, in Jupyter's v1 websocket format."""
    header = {"msg_id": uuid.uuid4().hex, "msg_type": kind, "username": "visitor", "session": session,
              "date": datetime.datetime.now(datetime.UTC).isoformat(), "version": "5.3"}
    return serialize_msg_to_ws_v1([json.dumps(part).encode() for part in (header, {}, {}, content)], "shell")


def comm_msg(comm_id, data, session: str) -> bytes:
    """A widget (comm) message from a page to the kernel."""
    return message("comm_msg", {"comm_id": comm_id, "data": data}, session)


def read_message(raw: bytes) -> tuple[str, str, dict]:
    """(channel, msg_type, content) of a v1 websocket message."""
    channel, parts = deserialize_msg_from_ws_v1(raw)
    return channel, json.loads(parts[0])["msg_type"], json.loads(parts[3])


async def _channels(base_ws: str, kernel: str, send: list[bytes], listen: float, cookie: str | None,
                    origin: str | None, session: str):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Cookie": cookie} if cookie else {}
    if origin:
        headers["Origin"] = origin
    request = HTTPRequest(f"{base_ws}/api/kernels/{kernel}/channels?session_id={session}", headers=headers)
    socket = await websocket_connect(request, subprotocols=[V1])
    for message in send:
        await socket.write_message(message, binary=True)
    received, loop = [], asyncio.get_running_loop()
    deadline = loop.time() + listen
    while (left := deadline - loop.time()) > 0:
        try:
            raw = await asyncio.wait_for(socket.read_message(), left)
        except TimeoutError:
            break
        if raw is None:
            break
        received.append(raw)
    socket.close()
    return received


def talk_to_kernel(base_url: str, kernel: str, send=(), listen: float = 3.0, cookie: str | None = None,
                   origin: str | None = None, session: str | None = None) -> list[bytes]:
    """Connect to a kernel's channels as a bare client, send ``send``, return what came back in ``listen`` s.

    Raises ``tornado.httpclient.HTTPClientError`` if the server refuses the connection. Runs in a
    thread of its own: Playwright's sync API keeps an event loop running in the test's thread.
    """
    base_ws = "ws" + base_url.removeprefix("http")
    talk = _channels(base_ws, kernel, list(send), listen, cookie, origin, session or uuid.uuid4().hex)
    return run_apart(talk)


def run_apart(coroutine):
    """``asyncio.run`` in a thread of its own: Playwright's sync API, once a test session has used it,
    keeps an event loop running in the tests' thread."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
