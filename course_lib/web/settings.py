"""Every setting of the web view, declared once: its name, the course's value, why, and who reads it.

The server's traits (:mod:`course_lib.web.kernels`, :mod:`course_lib.web.server`), the
command line of the server (:func:`course_lib.web.voila_command`), ``course view``'s options and
the table in docs/web-view.md all come from :data:`SETTINGS` (a test holds the last two to it).
This module imports nothing heavy, so ``course --help`` can read it without loading a server.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One setting: ``owner`` is the configurable class that reads it (the course's or Jupyter's)."""

    name: str
    owner: str
    default: int | bool | tuple[str, ...]
    help: str
    option: str | None = None  # ``course view``'s option for it, if a host running the view may set it

    @property
    def ours(self) -> bool:
        """Declared as a trait by the course (else Jupyter declares it and we only choose its value)."""
        return self.owner.startswith("Course")

    def flags(self, value) -> list[str]:
        """The server's command-line flags for ``value``."""
        if isinstance(self.default, tuple):
            return [f"--{self.owner}.{self.name}={item}" for item in value]
        return [f"--{self.owner}.{self.name}={value}"]

    def trait(self):
        """The traitlets trait that declares this setting on its owner class."""
        from traitlets import Bool, Int, List, Unicode

        if isinstance(self.default, bool):
            return Bool(self.default, config=True, help=self.help)
        if isinstance(self.default, tuple):
            return List(Unicode(), default_value=list(self.default), config=True, help=self.help)
        return Int(self.default, config=True, help=self.help)


_MANAGER, _VOILA, _JUPYTER = "CourseKernelManager", "CourseVoila", "MappingKernelManager"
SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("allowed_hosts", _VOILA, (),
            "Host names (host or host:port) served besides 127.0.0.1:PORT and localhost:PORT, e.g. the public "
            "name a reverse proxy forwards in its Host header.", "--host"),
    # Sized by benchmarks/web_load.py on a 2-core, 24 GiB machine: a kernel costs about 43 MiB (PSS;
    # 57 MiB RSS) and about 1 CPU second to start, run and end; 150 are about 6.3 GiB, a quarter of the
    # memory. Memory, not CPU, sets it: an open page costs no CPU. The open-files limit may lower it
    # at start (course_lib.web.limits).
    Setting("max_kernels", _MANAGER, 150,
            "Most kernels alive at once, spare ones included (0: no limit). Lowered at start to what the "
            "open-files limit allows.", "--max-kernels"),
    Setting("max_kernels_per_visitor", _MANAGER, 4,
            "Most kernels one browser holds (home, a lesson, the glossary, one more); a new page ends its "
            "oldest finished one."),
    Setting("max_kernels_per_address", _MANAGER, 20,
            "Most kernels for one X-Forwarded-For address, so a class behind one school router fits (0: no "
            "limit)."),
    Setting("unclaimed_kernel_seconds", _MANAGER, 180,
            "A kernel whose page has not connected to it by then (a script, not a browser) is shut down."),
    Setting("max_sockets_per_kernel", _MANAGER, 2,
            "Most channels websockets one kernel holds (a page and its reconnection); one more closes the "
            "oldest. Each costs about 9 open files."),
    Setting("max_message_bytes", _MANAGER, 256 * 1024,
            "Largest message a page may send its kernel (a 20,000-character reflection is under 100 KB)."),
    Setting("max_widget_state_bytes", _MANAGER, 4 * 1024 * 1024,
            "Most widget state the pages of one kernel may send it in all, counting each widget's latest "
            "value of each property; beyond it, changes are dropped."),
    Setting("kernel_memory_mib", _MANAGER, 512,
            "Most memory one kernel may allocate for its data (RLIMIT_DATA; a lesson's kernel uses about "
            "140 MiB of it, 57 MiB resident), so one page cannot take the server's memory (0: no limit)."),
    Setting("warm_kernels", _MANAGER, 2,
            "Kernels kept started with the course imported, each turned into whichever page is asked for "
            "next (a visitor's, or a refill of a page's preheated kernel)."),
    # A kernel with no activity for an hour is shut down, even with its tab open, so a forgotten tab
    # does not hold memory forever; the page then says so. An hour covers a visitor who reads a whole
    # 30-40 minute lesson before answering, or is called away for a while.
    Setting("cull_idle_timeout", _JUPYTER, 60 * 60,
            "Seconds without a click after which a kernel is shut down, tab open or not (the page says so)."),
    Setting("cull_interval", _JUPYTER, 60, "Seconds between two looks for idle kernels."),
    Setting("cull_connected", _JUPYTER, True, "Idle kernels are shut down even while a page is connected."),
)}


def defaults() -> dict:
    return {name: s.default for name, s in SETTINGS.items()}


def server_flags(values: dict) -> list[str]:
    """Command-line flags for every setting, ``values`` taking the place of the defaults they name."""
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise TypeError(f"unknown web view setting(s): {', '.join(sorted(unknown))}")
    return [flag for name, s in SETTINGS.items() for flag in s.flags(values.get(name, s.default))]
