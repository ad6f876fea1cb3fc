"""A kernel's channels websocket that passes on only what a page needs.

The kernel answers a malformed widget message (bad state, unknown widget, wrong types) with an
``error`` message or a ``stderr`` stream on iopub, carrying a traceback with the server's file
paths. A lesson page has no use for either (its own errors are caught and shown as calm
messages), so they stop here. Only Jupyter's v1 websocket protocol is spoken (the one Voila's
page uses), so there is one message format to check.

A message from the browser is checked for a sane v1 frame before jupyter_server reads it:
jupyter_server trusts the frame's first 8 bytes as a count of offsets and builds a list that
long, so one forged message of 8 bytes would take the whole server's memory.
"""

from __future__ import annotations

import json

from tornado import web
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

V1 = "v1.kernel.websocket.jupyter.org"
_MOST_PARTS = 1024  # header, parent header, metadata, content and binary buffers


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


class ChannelsHandler(VoilaKernelWebsocketHandler):
    """Voila's channels websocket: v1 only, sane frames in, no error or stderr out; reports who connects."""

    async def get(self, kernel_id):
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if V1 not in [p.strip() for p in offered.split(",")]:
            raise web.HTTPError(400)
        await super().get(kernel_id)

    async def open(self, kernel_id):
        self.kernel_manager.connected(kernel_id, self)
        await super().open(kernel_id)

    def on_close(self):
        self.kernel_manager.disconnected(self.kernel_id, self)
        super().on_close()

    def on_message(self, message):
        if frame(message) is None:
            self.log.warning("Dropped a malformed message for kernel %s", self.kernel_id)
            return None
        return super().on_message(message)

    def write_message(self, message, binary=False):
        if not isinstance(message, bytes) or withheld(message):
            return None
        return super().write_message(message, binary)
