"""The process limits the web view lives within: open files, and each kernel's memory.

**Open files.** Every kernel, websocket and browser connection holds descriptors in the server
(measured with Voila 0.5 and jupyter_server 2: about 4 per kernel, 9 per channels websocket, 8
more kept for a page that left, one per HTTP connection, and a browser keeps up to 6). When none
is left, libzmq aborts the whole process ("Too many open files"): every page loses its kernel.
So the server raises its soft limit to the hard one at start, sizes the kernel cap to what the
limit holds, and refuses new kernels and websockets while fewer than :data:`RESERVE` descriptors
are free, which keeps room for the requests that say "busy, try again".

**Memory.** Each kernel gets ``RLIMIT_DATA`` (its heap and other private memory, not the
libraries it shares), so one page's kernel cannot grow without end; what it is sent is bounded
first by :mod:`course_lib.web.channels`.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

KERNEL_FILES = 4  # the kernel's process and the server's activity watch on it
SOCKET_FILES = 9  # a channels websocket: its connection and four zmq streams
KEPT_FILES = 8  # the streams jupyter_server keeps for a page that left, until it reconnects or ends
BROWSER_FILES = 6  # the HTTP connections one browser keeps open to a server
PER_VISITOR = KERNEL_FILES + SOCKET_FILES + BROWSER_FILES
RESERVE = 64  # always left free: answering "busy", rendering a page, a kernel's start
_MOST = 1 << 20  # a soft limit to use when the hard one is unlimited


@dataclass(frozen=True)
class OpenFiles:
    soft: int
    hard: int
    raised_from: int | None  # the soft limit before the server raised it, if it did

    def room_for_kernels(self, in_use: int) -> int:
        """How many visitors' kernels fit, each with its page's websocket and browser connections."""
        return max(0, (self.soft - in_use - RESERVE) // PER_VISITOR)


def raise_open_files() -> OpenFiles:
    """Raise the soft open-files limit to the hard one (a systemd service starts at 1024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = _MOST if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return OpenFiles(target, hard, soft)
        except (ValueError, OSError):
            pass
    return OpenFiles(_MOST if soft == resource.RLIM_INFINITY else soft, hard, None)


def files_in_use() -> int | None:
    """Descriptors this process holds now (None where the system does not say)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(folder)) - 1  # less the one listdir itself opened
        except OSError:
            continue
    return None


def files_free() -> int | None:
    in_use = files_in_use()
    if in_use is None:
        return None
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return (_MOST if soft == resource.RLIM_INFINITY else soft) - in_use


def short_of_files(needed: int = 0) -> bool:
    """Whether taking ``needed`` more descriptors would eat into the reserve."""
    free = files_free()
    return free is not None and free - needed < RESERVE


def limit_memory(pid: int, mib: int) -> bool:
    """Cap a kernel's private memory (Linux: ``prlimit``); False where that cannot be done."""
    if mib <= 0 or not hasattr(resource, "prlimit"):
        return False
    limit = mib * 1024 * 1024
    try:
        resource.prlimit(pid, resource.RLIMIT_DATA, (limit, limit))
    except (OSError, ValueError):
        return False
    return True
