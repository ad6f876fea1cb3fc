"""The read-only web view: standalone Voila on 127.0.0.1 with the course's own template.

Standalone Voila, not the ``/voila`` extension inside JupyterLab, because only standalone
Voila refuses code execution requests from the browser. The kernels it starts get
``COURSE_READONLY=1``, so no answer given in a browser is written anywhere. The "course"
template is Voila's lab template without its links to public CDNs, so a page makes no
request to any host but the course's own server. :mod:`course_lib.web.server` is Voila with
one fix, so that closing a tab frees its kernel.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent  # holds voila/templates/course
TUNED_CONFIG = TEMPLATE_ROOT / "tuned"  # holds voila.json, the settings that make pages fast


# Idle kernels are shut down after this long, even with the tab still open, so a forgotten tab
# does not hold memory forever. A visitor who comes back reloads the page.
IDLE_KERNEL_SECONDS = 20 * 60


def voila_command(release: Path, port: int = 8866, tuned: bool = True, idle_seconds: int = IDLE_KERNEL_SECONDS,
                  cull_interval: int = 60) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that serve ``release`` read-only on 127.0.0.1:``port``.

    ``tuned`` reads ``tuned/voila.json``: one kernel per page started and already run (Voila's
    "preheated" kernel pool), so a visitor does not wait for a kernel; and the widget code under
    /voila/labextensions/ (its file names carry a content hash) kept by the browser, where Voila
    makes the browser ask for it again on every page. ``tuned=False`` is Voila's default
    configuration, kept for the benchmark's comparison.
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
    ]
    if tuned:
        cmd.append(f"--Voila.config_file_paths={TUNED_CONFIG}")
    return cmd, env


def serve(layout, port: int = 8866) -> int:
    cmd, env = voila_command(layout.self_paced, port)
    print(f"Serving the read-only course at http://127.0.0.1:{port}/ - press Ctrl+C to stop.")
    os.execve(sys.executable, cmd, env)
