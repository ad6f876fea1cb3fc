"""Who owns which kernel, and how many may live: the web view's kernel manager.

Every kernel costs about 57 MiB and starts a process, so strangers must not be able to start
them without end. This manager keeps a count that includes Voila's preheated kernels and the warm
ones (:mod:`course_lib.web.warm`), refuses a visitor's kernel once ``max_kernels`` are alive or
open files run short (:mod:`course_lib.web.limits`; the page then says the course is busy), and
makes spare kernels wait for room instead of pushing past the cap.

Each page view is a :class:`Visit`: its browser session, its forwarded address, and a key of its
own that only that page's browser holds (a cookie scoped to the kernel's endpoints), which
:mod:`course_lib.web.gate` requires. A browser that opens more than ``max_kernels_per_visitor``
pages gives up its oldest kernel whose page has finished loading (phones often never send the
"tab closed" request), never one still loading; one forwarded address may hold at most
``max_kernels_per_address``; a kernel whose page never connects to it (a script, not a browser) is
shut down after ``unclaimed_kernel_seconds``. When a kernel ends, its websockets are closed with
a code that says why (:data:`ENDINGS`), and for a while afterwards its page's requests are told
why too, so the page can say it in words.

Voila wraps this class in its preheating manager (``VoilaKernelManager`` derives from it), so
pool refills reach :meth:`start_kernel` here, while a visitor's page goes through
:meth:`start_visitor_kernel`, or takes a preheated kernel and :meth:`record` s it.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
from traitlets import default

from . import limits
from .settings import SETTINGS
from .warm import WarmKernels

# Why a kernel ended, and the websocket close code its page is told (static/course.js words each).
ENDINGS = {"closed": 4000, "replaced": 4001, "idle": 4002, "stopping": 4003, "failed": 4004, "unclaimed": 4005}
_REMEMBERED = 5000  # ended kernels whose reason a page may still ask for
_PAGE_FILES = limits.KERNEL_FILES + 10  # a kernel, and the client Voila runs its page with


class KernelsBusy(Exception):
    """No room for one more kernel: the visitor gets the "busy, try again" page."""


@dataclass
class Visit:
    """One page view: the browser session (cookie), the forwarded client address, the page's own key."""

    session: str
    address: str | None = None
    started: float = field(default_factory=time.monotonic)
    key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    claimed: bool = False  # the page's channels websocket has connected
    loading: bool = True  # Voila is still running the page's cells
    reserved: bool = False  # counted in its browser's allowance before its kernel is recorded


class VisitorKernel(ServerKernelManager):
    """One kernel, reached over Unix sockets in the server's connection folder where the system has them.

    Over TCP each kernel takes five ports picked free a moment before it binds them; with dozens of
    kernels starting at once (the preheated pools), another sometimes takes one in between, and that
    kernel dies with "Address already in use" (a traceback in the log, a kernel short until it is
    restarted). A socket file named after the kernel cannot be taken by another."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if os.name == "posix" else "tcp"


class CourseKernelManager(WarmKernels, AsyncMappingKernelManager):
    max_kernels = SETTINGS["max_kernels"].trait()
    max_kernels_per_visitor = SETTINGS["max_kernels_per_visitor"].trait()
    max_kernels_per_address = SETTINGS["max_kernels_per_address"].trait()
    unclaimed_kernel_seconds = SETTINGS["unclaimed_kernel_seconds"].trait()
    max_sockets_per_kernel = SETTINGS["max_sockets_per_kernel"].trait()
    max_message_bytes = SETTINGS["max_message_bytes"].trait()
    max_widget_state_bytes = SETTINGS["max_widget_state_bytes"].trait()
    kernel_memory_mib = SETTINGS["kernel_memory_mib"].trait()
    warm_kernels = SETTINGS["warm_kernels"].trait()

    @default("kernel_manager_class")
    def _default_kernel_manager_class(self) -> str:
        return f"{VisitorKernel.__module__}.{VisitorKernel.__qualname__}"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.visits: dict[str, Visit] = {}
        self._closing = False
        self._channels: dict[str, list] = {}  # kernel id -> open channels websockets, oldest first
        self._ending: dict[str, str] = {}  # kernel id -> why, while it is being shut down
        self._ended: OrderedDict[str, tuple[str, str]] = OrderedDict()  # kernel id -> (page key, why)
        self.budgets: dict[str, object] = {}  # kernel id -> its pages' widget budget (channels.py)
        self._opening: dict[str, int] = {}  # session -> page views let in whose kernel is not recorded yet
        self._init_warm()

    # -- counting -------------------------------------------------------------------------------
    def alive(self) -> int:
        """Kernels running or starting (a kernel is registered as pending as soon as it starts)."""
        starting = {k for k, f in self._pending_kernels.items() if not f.done()}
        return len(set(self._kernels) | starting)

    def is_full(self) -> bool:
        return 0 < self.max_kernels <= self.alive()

    def room_for_spare(self) -> bool:
        """Whether a kernel may start that no visitor is waiting for (a warm or preheated one)."""
        return not self.is_full() and not limits.short_of_files(limits.PER_VISITOR + _PAGE_FILES)

    def room_for_visitor(self, notebook: str) -> bool:
        """Whether a page view of ``notebook`` can have a kernel now (a spare one adds no process)."""
        if limits.short_of_files(limits.PER_VISITOR):
            return False
        return not self.is_full() or self.warm_ready() > 0 or self.has_ready_kernel(notebook)

    def kernels_of(self, session: str) -> list[str]:
        """The session's kernels, oldest first (not those already ending)."""
        mine = [(v.started, k) for k, v in self.visits.items()
                if v.session == session and k in self and k not in self._ending]
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
        """A refill of Voila's pool: waits while the server is full, so visitors come before spare kernels."""
        while not self.room_for_spare() and not self.warm_ready():
            if self._closing:
                raise KernelsBusy("the server is stopping")
            await asyncio.sleep(1)
        return await self.new_kernel(**kwargs)

    async def start_visitor_kernel(self, visit: Visit, **kwargs) -> str:
        if not self.room_for_visitor(""):
            raise KernelsBusy()
        kernel_id = await self.new_kernel(**kwargs)
        self.record(kernel_id, visit)
        return kernel_id

    def started(self, kernel_id: str) -> None:
        """A new kernel process: cap its memory, and end it if it dies (a restarted kernel has lost its page)."""
        kernel = self.get_kernel(kernel_id)
        process = getattr(getattr(kernel, "provisioner", None), "process", None)
        if process is not None and not limits.limit_memory(process.pid, self.kernel_memory_mib):
            self.log.debug("No memory limit for kernel %s on this system", kernel_id)
        self.add_restart_callback(kernel_id, lambda: asyncio.ensure_future(self.end(kernel_id, "failed")))

    def record(self, kernel_id: str, visit: Visit) -> None:
        self.release(visit)
        self.visits[kernel_id] = visit
        if self.unclaimed_kernel_seconds > 0:
            asyncio.get_running_loop().call_later(
                self.unclaimed_kernel_seconds, lambda: asyncio.ensure_future(self._end_if_unclaimed(kernel_id)))

    def loaded(self, kernel_id: str) -> None:
        """Voila has finished running the page's cells: from now on, the kernel may be ended for room."""
        if kernel_id in self.visits:
            self.visits[kernel_id].loading = False

    async def _end_if_unclaimed(self, kernel_id: str) -> None:
        visit = self.visits.get(kernel_id)
        if visit and not visit.claimed and kernel_id in self:
            self.log.info("Shutting down kernel %s: no page connected to it", kernel_id)
            await self.end(kernel_id, "unclaimed")

    async def make_room_for(self, visit: Visit) -> bool:
        """Ends the browser's oldest loaded kernels so that this page fits its allowance, and counts the
        page in it until its kernel is recorded (pages opened at once each see the others); False if
        the browser's other pages are all still loading (none of them is ended for this one)."""
        if self.max_kernels_per_visitor <= 0:
            return True
        mine = self.kernels_of(visit.session)
        excess = len(mine) + self._opening.get(visit.session, 0) - self.max_kernels_per_visitor + 1
        done = [k for k in mine if not self.visits[k].loading][:max(0, excess)]
        if len(done) < excess:
            return False
        visit.reserved = True
        self._opening[visit.session] = self._opening.get(visit.session, 0) + 1
        for kernel_id in done:  # all marked before the first wait, so a page opened meanwhile picks others
            self.log.info("Shutting down kernel %s: its visitor opened another page", kernel_id)
            self._ending[kernel_id] = "replaced"
        await asyncio.gather(*(self.shutdown_kernel(kernel_id) for kernel_id in done))
        return True

    def release(self, visit: Visit) -> None:
        """The page no longer needs its place in the allowance held for it (its kernel is recorded, or it has none)."""
        if visit.reserved:
            visit.reserved = False
            left = self._opening.get(visit.session, 1) - 1
            if left > 0:
                self._opening[visit.session] = left
            else:
                self._opening.pop(visit.session, None)

    # -- who may connect ------------------------------------------------------------------------
    def key_of(self, kernel_id: str) -> str | None:
        """The page key that opens ``kernel_id``'s endpoints (None: nobody's, or ending)."""
        visit = self.visits.get(kernel_id)
        return visit.key if visit and kernel_id in self and kernel_id not in self._ending else None

    def why_ended(self, kernel_id: str, keys: list[str]) -> str | None:
        """Why ``kernel_id`` ended or is ending, told only to the page that held it."""
        visit = self.visits.get(kernel_id)
        key, why = (visit.key, self._ending[kernel_id]) if visit and kernel_id in self._ending else \
            self._ended.get(kernel_id, (None, None))
        return why if key and any(hmac.compare_digest(key, k) for k in keys) else None

    def connected(self, kernel_id: str, websocket) -> None:
        if kernel_id in self.visits:
            self.visits[kernel_id].claimed = True
        sockets = self._channels.setdefault(kernel_id, [])
        sockets.append(websocket)
        while len(sockets) > max(1, self.max_sockets_per_kernel):
            sockets.pop(0).close(ENDINGS["closed"], "a newer connection took its place")

    def disconnected(self, kernel_id: str, websocket) -> None:
        sockets = self._channels.get(kernel_id, [])
        if websocket in sockets:
            sockets.remove(websocket)

    # -- ending ---------------------------------------------------------------------------------
    async def end(self, kernel_id: str, why: str) -> None:
        """Shut a kernel down, telling its page ``why`` (one of :data:`ENDINGS`)."""
        if kernel_id in self and kernel_id not in self._ending:
            self._ending[kernel_id] = why
            await self.shutdown_kernel(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, now: bool = True, restart: bool = False):
        """Also closes the kernel's websockets, with the reason, so its page says at once why it stopped.

        A visitor's kernel holds nothing to keep, so it is stopped at once (``now``): asked politely,
        ipykernel 7.4 sometimes trips over its own closed output socket while answering and prints a
        traceback into the server's log (its flush after a shutdown request races the IOPub thread)."""
        why = self._ending.setdefault(kernel_id, "stopping" if self._closing else "closed")
        self._forget_warm(kernel_id)
        try:
            return await super().shutdown_kernel(kernel_id, now=now, restart=restart)
        finally:
            self._ending.pop(kernel_id, None)
            self.budgets.pop(kernel_id, None)
            visit = self.visits.pop(kernel_id, None)
            if visit:
                self._ended[kernel_id] = (visit.key, why)
                while len(self._ended) > _REMEMBERED:
                    self._ended.popitem(last=False)
            for websocket in self._channels.pop(kernel_id, ()):
                websocket.close(ENDINGS.get(why, ENDINGS["closed"]), f"kernel ended: {why}")

    async def cull_kernel_if_idle(self, kernel_id: str):
        """Jupyter's idle cull, for visitors' kernels only (warm ones wait for a page), saying why; a
        kernel still starting has no last activity yet (Jupyter's cull would print a TraitError for it)."""
        kernel = self._kernels.get(kernel_id)
        if (self.is_warm(kernel_id) or kernel_id in self._ending or kernel is None
                or not kernel.trait_has_value("last_activity")):
            return None
        self._ending[kernel_id] = "idle"
        try:
            return await super().cull_kernel_if_idle(kernel_id)
        finally:
            if kernel_id in self:  # it was not idle after all
                self._ending.pop(kernel_id, None)

    async def shutdown_all(self, now: bool = True):
        """Stops every kernel at once when the server stops (see :meth:`shutdown_kernel`)."""
        self._closing = True
        return await super().shutdown_all(now=now)
