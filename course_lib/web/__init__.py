"""The read-only web view: standalone Voila on 127.0.0.1 with the course's own template.

Standalone Voila, not the ``/voila`` extension inside JupyterLab, because only standalone
Voila refuses code execution requests from the browser. The kernels it starts get
``COURSE_READONLY=1``, so no answer given in a browser is written anywhere. The "course"
template is Voila's lab template without its links to public CDNs, so a page makes no
request to any host but the course's own server. :mod:`course_lib.web.server` is Voila
hardened for strangers: checked Host and Origin, a kernel only for a real page view and within
caps, each kernel reachable only from the browser session that opened it, no traceback sent,
security headers (docs/web-view.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent  # holds voila/templates/course
TUNED_CONFIG = TEMPLATE_ROOT / "tuned"  # holds voila.json, the settings that make pages fast
# The page scripts; the learner's JupyterLab serves this folder too, for course-a11y.js.
PAGE_SCRIPTS = TEMPLATE_ROOT / "voila" / "templates" / "course" / "static"


# Idle kernels are shut down after this long, even with the tab still open, so a forgotten tab
# does not hold memory forever; the page then says so and offers to reload. "Idle" means no
# click at all: a visitor who reads a whole 30-40 minute lesson before answering, or is called
# away for a while, still has a working page. The kernel cap, not this, bounds the memory.
IDLE_KERNEL_SECONDS = 60 * 60

# Caps on kernels (course_lib.web.kernels explains each), sized by benchmarks/web_load.py on a 2-core,
# 24 GiB machine: a kernel costs about 43 MiB (PSS; 57 MiB RSS) and about 1 CPU second to start, run
# and end. 150 kernels are about 6.3 GiB, a quarter of the memory, with room for kernels that grow as
# a visitor works; the 16 preheated ones (one per page) count against it. Memory, not CPU, sets it:
# an open page costs no CPU, while two cores start about 100 visitors a minute.
MAX_KERNELS = 150  # alive at once, preheated ones included
MAX_KERNELS_PER_VISITOR = 4  # per browser session (home, a lesson, the glossary, one more)
MAX_KERNELS_PER_ADDRESS = 20  # per X-Forwarded-For address: a classroom behind one school router fits
UNCLAIMED_KERNEL_SECONDS = 180  # a page that never connects to its kernel (a script) loses it


def voila_command(release: Path, port: int = 8866, tuned: bool = True, idle_seconds: int = IDLE_KERNEL_SECONDS,
                  cull_interval: int = 60, hosts: tuple[str, ...] = (), max_kernels: int = MAX_KERNELS,
                  max_kernels_per_visitor: int = MAX_KERNELS_PER_VISITOR,
                  max_kernels_per_address: int = MAX_KERNELS_PER_ADDRESS,
                  unclaimed_seconds: int = UNCLAIMED_KERNEL_SECONDS) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that serve ``release`` read-only on 127.0.0.1:``port``.

    ``tuned`` reads ``tuned/voila.json``: one kernel per page started and already run (Voila's
    "preheated" kernel pool), so a visitor does not wait for a kernel; and the widget code under
    /voila/labextensions/ (its file names carry a content hash) kept by the browser, where Voila
    makes the browser ask for it again on every page. ``tuned=False`` is Voila's default
    configuration, kept for the benchmark's comparison (the hardening stays on in both).
    ``hosts`` are the public names the server answers to besides 127.0.0.1 and localhost (a
    reverse proxy's); the caps are explained in :mod:`course_lib.web.kernels`.
    """
    env = dict(os.environ)
    env["COURSE_READONLY"] = "1"
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATE_ROOT), env.get("JUPYTER_PATH", "")) if p)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    cmd = [
        sys.executable, "-m", "course_lib.web.server", str(release),
        "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        "--template=course", "--theme=light",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        # JupyterLab extensions in the same environment (nbgrader's, Notebook's, Voila's own
        # preview) do not belong in a visitor's page and fail to load there.
        "--VoilaConfiguration.extension_denylist=@jupyter/nbgrader",
        "--VoilaConfiguration.extension_denylist=@jupyter-notebook/lab-extension",
        "--VoilaConfiguration.extension_denylist=@voila-dashboards/jupyterlab-preview",
        f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=True",
        f"--CourseKernelManager.max_kernels={max_kernels}",
        f"--CourseKernelManager.max_kernels_per_visitor={max_kernels_per_visitor}",
        f"--CourseKernelManager.max_kernels_per_address={max_kernels_per_address}",
        f"--CourseKernelManager.unclaimed_kernel_seconds={unclaimed_seconds}",
        *(f"--CourseVoila.allowed_hosts={host}" for host in hosts),
    ]
    if tuned:
        cmd.append(f"--Voila.config_file_paths={TUNED_CONFIG}")
    return cmd, env


def serve(layout, port: int = 8866, hosts: tuple[str, ...] = (), max_kernels: int = MAX_KERNELS) -> int:
    cmd, env = voila_command(layout.self_paced, port, hosts=hosts, max_kernels=max_kernels)
    print(f"Serving the read-only course at http://127.0.0.1:{port}/ - press Ctrl+C to stop.")
    os.execve(sys.executable, cmd, env)
