"""A kernel's channels websocket that passes on only what a page needs, in amounts a page needs.

The kernel answers a malformed widget message (bad state, unknown widget, wrong types) with an
``error`` message or a ``stderr`` stream on iopub, carrying a traceback with the server's file
paths. A lesson page has no use for either (its own errors are caught and shown as calm
messages), so they stop here. Only Jupyter's v1 websocket protocol is spoken (the one Voila's
page uses), so there is one message format to check.

A message from the browser is checked before jupyter_server reads it: a sane v1 frame
(jupyter_server trusts the frame's first 8 bytes as a count of offsets and builds a list that
long, so one forged message of 8 bytes would take the whole server's memory), no larger than
``max_message_bytes``, and within the kernel's :class:`WidgetBudget`: a page may not create
widgets in the kernel, and all it sends stays under ``max_widget_state_bytes``, so a forged page
cannot grow its kernel's memory without end.

A websocket is refused while open files run short, and one to a kernel that ends during the
handshake is refused at once (a handshake left waiting holds up every other tab of the browser:
a browser opens one websocket to a server at a time).
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from tornado import web
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from . import limits

V1 = "v1.kernel.websocket.jupyter.org"
_MOST_PARTS = 1024  # header, parent header, metadata, content and binary buffers
_MOST_ENTRIES = 20_000  # widget properties a budget keeps count of
_CONTROL = "jupyter.widget.control"  # the one comm a page opens: ipywidgets' "send me every widget"


def frame(message) -> tuple[str, list[bytes]] | None:
    """(channel, parts) of a v1 websocket message, or None if it is not one."""
    if not isinstance(message, bytes) or len(message) < 8:
        return None
    count = int.from_bytes(message[:8], "little")
    if not 6 <= count <= _MOST_PARTS + 2 or len(message) < 8 * (count + 1):
        return None
    offsets = [int.from_bytes(message[8 * i:8 * (i + 1)], "little") for i in range(1, count + 1)]
    if offsets[0] != 8 * (count + 1) or offsets[-1] != len(message) or offsets != sorted(offsets):
        return None
    try:
        channel = message[offsets[0]:offsets[1]].decode()
    except UnicodeDecodeError:
        return None
    return channel, [message[offsets[i]:offsets[i + 1]] for i in range(1, count - 1)]


def withheld(message: bytes) -> bool:
    """Whether a v1 websocket message would show the browser an error or the kernel's stderr."""
    parsed = frame(message)
    if parsed is None:  # not a message we can read: not one we pass on
        return True
    channel, (header, _parent, _metadata, content, *_buffers) = parsed
    if b'"traceback"' in content:
        return True
    if channel != "iopub":
        return False
    try:
        kind = json.loads(header).get("msg_type")
        return kind == "error" or (kind == "stream" and json.loads(content).get("name") == "stderr")
    except (ValueError, AttributeError):
        return True


class WidgetBudget:
    """What the pages of one kernel may send it: no new widgets, and a bounded amount of state.

    The kernel keeps only the latest value of each property of each widget, so the budget counts
    the size of the latest value sent for each (widget, property); the sum stays under ``most``.
    """

    def __init__(self, most_message: int, most_state: int):
        self.most_message, self.most_state = most_message, most_state
        self.sizes: dict[tuple[str, str], int] = {}
        self.total = 0
        self.refused = 0

    def allows(self, parts: list[bytes]) -> bool:
        if sum(map(len, parts)) > self.most_message:
            return False
        header, _parent, _metadata, content, *buffers = parts
        try:
            kind = json.loads(header).get("msg_type")
            if kind not in ("comm_open", "comm_msg"):
                return True  # jupyter_server passes only a few other kinds, none of which keeps anything
            body = json.loads(content)
            data = body.get("data")
            if kind == "comm_open":
                return body.get("target_name") == _CONTROL and not data
            state = data.get("state") if isinstance(data, dict) else None
            if not isinstance(state, dict):
                return True  # a button press, a request for state: nothing is kept
            return self._keep(str(body.get("comm_id")), state, data.get("buffer_paths"), buffers)
        except (ValueError, AttributeError, TypeError):
            return False

    def _keep(self, comm: str, state: dict, paths, buffers: list[bytes]) -> bool:
        new = {(comm, str(name)): len(json.dumps(value)) for name, value in state.items()}
        for path, buffer in zip(paths if isinstance(paths, list) else [], buffers, strict=False):
            name = str(path[0]) if isinstance(path, list) and path else "?"
            new[(comm, name)] = new.get((comm, name), 0) + len(buffer)
        total = self.total + sum(size - self.sizes.get(key, 0) for key, size in new.items())
        if total > self.most_state or len(self.sizes.keys() | new.keys()) > _MOST_ENTRIES:
            return False
        self.sizes.update(new)
        self.total = total
        return True


class ChannelsHandler(VoilaKernelWebsocketHandler):
    """Voila's channels websocket: v1 only, sane and bounded messages in, no error or stderr out."""

    async def get(self, kernel_id):
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if V1 not in [p.strip() for p in offered.split(",")]:
            raise web.HTTPError(400)
        if limits.short_of_files(limits.SOCKET_FILES):
            raise web.HTTPError(503)
        # tornado's get() returns when the socket closes; until open(), it is the handshake
        handshake = asyncio.ensure_future(super().get(kernel_id))
        while not handshake.done() and not self._opened:
            await asyncio.wait([handshake], timeout=0.5)
            if not (handshake.done() or self._opened) and self.kernel_manager.key_of(kernel_id) is None:
                handshake.cancel()  # the kernel is ending: answer now, not after a minute
                with contextlib.suppress(Exception):  # what the handshake had opened so far
                    self.connection.disconnect()
                raise web.HTTPError(410)
        return await handshake

    _opened = False

    def select_subprotocol(self, subprotocols):
        if self.connection is None:  # the page went away while the kernel was asked who it is (tornado
            raise web.HTTPError(410)  # ran on_close already): answered quietly, not with a traceback
        return super().select_subprotocol(subprotocols)

    async def open(self, kernel_id):
        self._opened = True
        self.kernel_manager.connected(kernel_id, self)
        await super().open(kernel_id)

    def on_close(self):
        self.kernel_manager.disconnected(self.kernel_id, self)
        super().on_close()

    def on_message(self, message):
        parsed = frame(message)
        if parsed is None or not self._budget().allows(parsed[1]):
            budget = self._budget()
            budget.refused += 1
            if budget.refused in (1, 100, 10_000):  # a few lines in the log, not one per message
                self.log.warning("Dropped %d message(s) from a page of kernel %s: malformed, too large or "
                                 "over its widget budget", budget.refused, self.kernel_id)
            return None
        return super().on_message(message)

    def write_message(self, message, binary=False):
        if not isinstance(message, bytes) or withheld(message):
            return None
        return super().write_message(message, binary)

    def _budget(self) -> WidgetBudget:
        manager = self.kernel_manager
        budget = manager.budgets.get(self.kernel_id)
        if budget is None:
            budget = manager.budgets[self.kernel_id] = WidgetBudget(manager.max_message_bytes,
                                                                    manager.max_widget_state_bytes)
        return budget
