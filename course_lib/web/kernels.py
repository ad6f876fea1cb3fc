"""Who owns which kernel, and how many may live: the web view's kernel manager.

Every kernel costs about 57 MiB and starts a process, so strangers must not be able to start
them without end. This manager keeps a count that includes Voila's preheated kernels, refuses a
visitor's kernel once ``max_kernels`` are alive (the page then says the course is busy), and
makes a preheated pool wait for room instead of pushing past the cap. It remembers which
browser session opened each kernel, so that :mod:`course_lib.web.gate` lets only that session
reach it; a session that opens more than ``max_kernels_per_visitor`` pages gives up its oldest
kernel (phones often never send the "tab closed" request); one forwarded address may hold at
most ``max_kernels_per_address``; and a kernel whose page never connects to it (a script, not a
browser) is shut down after ``unclaimed_kernel_seconds``.

Voila wraps this class in its preheating manager (``VoilaKernelManager`` derives from it), so
pool refills reach :meth:`start_kernel` here, while a visitor's page goes through
:meth:`start_visitor_kernel`, or takes a preheated kernel and :meth:`record` s it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Int

from . import MAX_KERNELS, MAX_KERNELS_PER_ADDRESS, MAX_KERNELS_PER_VISITOR, UNCLAIMED_KERNEL_SECONDS


class KernelsBusy(Exception):
    """No room for one more kernel: the visitor gets the "busy, try again" page."""


@dataclass
class Visit:
    """The browser session (cookie) and the forwarded client address behind a page view."""

    session: str
    address: str | None = None
    started: float = field(default_factory=time.monotonic)
    claimed: bool = False  # the page's channels websocket has connected


class CourseKernelManager(AsyncMappingKernelManager):
    max_kernels = Int(MAX_KERNELS, config=True,
                      help="Most kernels alive at once, preheated ones included (0: no limit).")
    max_kernels_per_visitor = Int(MAX_KERNELS_PER_VISITOR, config=True,
                                  help="Most kernels one browser session holds; a new page ends its oldest.")
    max_kernels_per_address = Int(MAX_KERNELS_PER_ADDRESS, config=True,
                                  help="Most kernels for one X-Forwarded-For address (0: no limit).")
    unclaimed_kernel_seconds = Int(UNCLAIMED_KERNEL_SECONDS, config=True,
                                   help="A kernel whose page has not connected by then is shut down.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.visits: dict[str, Visit] = {}
        self._closing = False
        self._channels: dict[str, set] = {}  # kernel id -> open channels websockets

    # -- counting -------------------------------------------------------------------------------
    def alive(self) -> int:
        """Kernels running or starting (a kernel is registered as pending as soon as it starts)."""
        starting = {k for k, f in self._pending_kernels.items() if not f.done()}
        return len(set(self._kernels) | starting)

    def is_full(self) -> bool:
        return 0 < self.max_kernels <= self.alive()

    def kernels_of(self, session: str) -> list[str]:
        """The session's kernels, oldest first."""
        mine = [(v.started, k) for k, v in self.visits.items() if v.session == session and k in self]
        return [k for _, k in sorted(mine)]

    def too_many_from(self, address: str | None) -> bool:
        if not address or self.max_kernels_per_address <= 0:
            return False
        return sum(v.address == address and k in self for k, v in self.visits.items()) >= self.max_kernels_per_address

    def has_ready_kernel(self, notebook: str) -> bool:
        """Whether Voila's pool holds a started kernel for ``notebook`` (taking it adds none)."""
        pool = getattr(self, "_pools", {}).get(notebook) or []
        head = pool[0] if pool else None
        return bool(head and head.done() and not head.cancelled() and head.exception() is None)

    # -- starting -------------------------------------------------------------------------------
    async def start_kernel(self, *args, **kwargs):
        """A pool refill: waits while the server is full, so visitors come before spare kernels."""
        while self.is_full():
            if self._closing:
                raise KernelsBusy("the server is stopping")
            await asyncio.sleep(1)
        return await super().start_kernel(*args, **kwargs)

    async def start_visitor_kernel(self, visit: Visit, **kwargs) -> str:
        if self.is_full():
            raise KernelsBusy()
        # Nothing is awaited between the check and the kernel's registration as pending.
        kernel_id = await super().start_kernel(**kwargs)
        self.record(kernel_id, visit)
        return kernel_id

    def record(self, kernel_id: str, visit: Visit) -> None:
        self.visits[kernel_id] = Visit(visit.session, visit.address)
        if self.unclaimed_kernel_seconds > 0:
            asyncio.get_running_loop().call_later(
                self.unclaimed_kernel_seconds, lambda: asyncio.ensure_future(self._end_if_unclaimed(kernel_id)))

    async def _end_if_unclaimed(self, kernel_id: str) -> None:
        visit = self.visits.get(kernel_id)
        if visit and not visit.claimed and kernel_id in self:
            self.log.info("Shutting down kernel %s: no page connected to it", kernel_id)
            await self.shutdown_kernel(kernel_id)

    async def make_room_for(self, session: str) -> None:
        """Ends the session's oldest kernels so that one more fits its allowance."""
        if self.max_kernels_per_visitor <= 0:
            return
        mine = self.kernels_of(session)
        for kernel_id in mine[:max(0, len(mine) - self.max_kernels_per_visitor + 1)]:
            self.log.info("Shutting down kernel %s: its visitor opened another page", kernel_id)
            await self.shutdown_kernel(kernel_id)

    # -- who may connect ------------------------------------------------------------------------
    def owner(self, kernel_id: str) -> str | None:
        visit = self.visits.get(kernel_id)
        return visit.session if visit and kernel_id in self else None

    def connected(self, kernel_id: str, websocket) -> None:
        if kernel_id in self.visits:
            self.visits[kernel_id].claimed = True
        self._channels.setdefault(kernel_id, set()).add(websocket)

    def disconnected(self, kernel_id: str, websocket) -> None:
        self._channels.get(kernel_id, set()).discard(websocket)

    # -- ending ---------------------------------------------------------------------------------
    async def shutdown_kernel(self, kernel_id: str, *args, **kwargs):
        """Also closes the kernel's websockets, so its page says at once that it lost its kernel."""
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self.visits.pop(kernel_id, None)
            for websocket in list(self._channels.pop(kernel_id, ())):
                websocket.close(1001, "kernel ended")

    async def shutdown_all(self, *args, **kwargs):
        self._closing = True
        return await super().shutdown_all(*args, **kwargs)
