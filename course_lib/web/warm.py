"""Warm kernels: started, with the course imported, waiting to become whichever page is asked for.

Starting a Python kernel is most of the cost of a lesson page (about half a second of CPU; running
the lesson's cells is about a fifth of that). Voila's preheating keeps one kernel per page that
has already run that page: fast, but the same page opened again at once waits for its
replacement, and a second one per page would double the memory at rest. A few warm kernels,
shared by every page, take the kernel's start out of both: a page asked for while its preheated
kernel is in use, and the refill of that preheated kernel, each take a warm kernel, which moves to
the page's folder and takes its request's environment before Voila runs the page in it.
"""

from __future__ import annotations

import asyncio
import json
import os

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

# What every lesson imports; a missing module (a course being rearranged) only makes it less warm.
WARM_UP = ("for _m in ('ipywidgets', 'yaml', 'mistune', 'course_lib.lessons'):\n"
           "    try:\n        __import__(_m)\n    except ImportError:\n        pass\ndel _m")
_KERNEL = "python3"


class WarmKernels:
    """Mixin for the kernel manager: :meth:`new_kernel` takes a warm kernel when there is one."""

    warm_kernels: int  # how many to keep (a setting)
    _closing: bool

    def _init_warm(self) -> None:
        self._warm: list[str] = []  # ready, oldest first
        self._warming: asyncio.Task | None = None
        self._warm_env = dict(os.environ)

    def is_warm(self, kernel_id: str) -> bool:
        return kernel_id in self._warm

    def warm_ready(self) -> int:
        return len(self._warm)

    async def new_kernel(self, **kwargs) -> str:
        """A kernel for ``kwargs`` (Voila's ``kernel_name``, ``path``, ``env``): a warm one, turned, or a new one."""
        kernel_id = self._warm.pop(0) if self._warm and kwargs.get("kernel_name", _KERNEL) == _KERNEL else None
        self.fill_warm()
        if kernel_id is None:
            return await self._start_process(**kwargs)
        try:
            await self._turn(kernel_id, kwargs)
        except Exception:  # noqa: BLE001 - a warm kernel that does not answer is replaced by a new one
            self.log.warning("Warm kernel %s did not take its page; starting a new one", kernel_id, exc_info=True)
            await self.shutdown_kernel(kernel_id, now=True)
            return await self._start_process(**kwargs)
        return kernel_id

    def fill_warm(self) -> None:
        """Start warm kernels up to ``warm_kernels``, in the background, one at a time."""
        if self.warm_kernels > 0 and (self._warming is None or self._warming.done()):
            self._warming = asyncio.ensure_future(self._fill())

    async def _fill(self) -> None:
        failures = 0
        while not self._closing and len(self._warm) < self.warm_kernels and failures < 3:
            if not self.room_for_spare():
                await asyncio.sleep(1)  # visitors come first
                continue
            kernel_id = await self._start_process(kernel_name=_KERNEL, path="")
            try:
                await self._run(kernel_id, WARM_UP)
            except Exception:  # noqa: BLE001 - a kernel that cannot warm up is not kept
                failures += 1
                self.log.warning("Kernel %s did not warm up (%d of 3 tries)", kernel_id, failures, exc_info=True)
                await self.shutdown_kernel(kernel_id, now=True)
                await asyncio.sleep(5)
                continue
            if self._closing or kernel_id not in self:
                return
            self._warm.append(kernel_id)

    async def _start_process(self, **kwargs) -> str:
        kernel_id = await AsyncMappingKernelManager.start_kernel(self, **kwargs)
        self.started(kernel_id)
        return kernel_id

    async def _turn(self, kernel_id: str, kwargs: dict) -> None:
        """Move a warm kernel to the page's folder, with the page's request in its environment."""
        cwd = self.cwd_for_path(kwargs.get("path") or "", env=kwargs.get("env") or {})
        env = {k: v for k, v in (kwargs.get("env") or {}).items() if self._warm_env.get(k) != v}
        await self._run(kernel_id, f"__import__('os').chdir({cwd!r})\n"
                                   f"__import__('os').environ.update(__import__('json').loads({json.dumps(env)!r}))")

    async def _run(self, kernel_id: str, code: str, timeout: float = 60) -> None:
        """Run ``code`` quietly in a kernel (no output, no history) and wait for it to finish."""
        client = self.get_kernel(kernel_id).client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False)
            async with asyncio.timeout(timeout):
                while True:
                    reply = await client.get_shell_msg()
                    if reply["parent_header"].get("msg_id") == msg_id:
                        break
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        finally:
            client.stop_channels()

    def _forget_warm(self, kernel_id: str) -> None:
        if kernel_id in self._warm:
            self._warm.remove(kernel_id)
