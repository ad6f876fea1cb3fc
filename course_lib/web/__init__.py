"""The read-only web view: standalone Voila on 127.0.0.1 with the course's own template.

Standalone Voila, not the ``/voila`` extension inside JupyterLab, because only standalone
Voila refuses code execution requests from the browser. The kernels it starts get
``COURSE_READONLY=1``, so no answer given in a browser is written anywhere, and keep no IPython
history (the course's own ``python3`` kernel spec, ``jupyter/kernels/``). The "course" template is
Voila's lab template without its links to public CDNs, so a page makes no request to any host but
the course's own server. :mod:`course_lib.web.server` is Voila hardened for strangers: checked
Host and Origin, a kernel only for a real page view and within caps, each kernel reachable only
from the page that opened it, no traceback sent, security headers (docs/web-view.md). Every
setting is declared once, in :mod:`course_lib.web.settings`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .settings import SETTINGS, server_flags

HERE = Path(__file__).resolve().parent
JUPYTER_DATA = HERE / "jupyter"  # on JUPYTER_PATH: voila/templates/course and kernels/python3
TUNED_CONFIG = HERE / "tuned"  # holds voila.json, the settings that make pages fast
EDITIONS = ("self-paced", "cohort")  # course view --edition: with the answer keys, or without any


def voila_command(release: Path, port: int = 8866, tuned: bool = True, **settings) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that serve ``release`` read-only on 127.0.0.1:``port``.

    ``settings`` are values for :data:`~course_lib.web.settings.SETTINGS` by name (the rest keep
    the course's values). ``tuned`` reads ``tuned/voila.json``: a started and already run kernel
    per page (Voila's "preheated" pool), and the widget code under /voila/labextensions/ (its file
    names carry a content hash) kept by the browser, where Voila makes the browser ask for it again
    on every page; and keeps ``warm_kernels`` ready. ``tuned=False`` is Voila's default
    configuration, kept for the benchmark's comparison (the hardening stays on in both).
    """
    if not tuned:
        settings.setdefault("warm_kernels", 0)
    env = dict(os.environ)
    env["COURSE_READONLY"] = "1"
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p)
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
        *server_flags(settings),
    ]
    if tuned:
        cmd.append(f"--Voila.config_file_paths={TUNED_CONFIG}")
    return cmd, env


def serve(release: Path, port: int = 8866, **settings) -> int:
    """Replace this process with the web view of ``release`` (``course view``)."""
    cmd, env = voila_command(release, port, **settings)
    print(f"Serving the read-only course at http://127.0.0.1:{port}/ - press Ctrl+C to stop.")
    os.execve(sys.executable, cmd, env)


__all__ = ["EDITIONS", "JUPYTER_DATA", "SETTINGS", "TUNED_CONFIG", "serve", "voila_command"]
