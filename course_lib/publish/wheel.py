"""A wheel with the course inside, for a learner on any laptop (Windows, macOS, Linux) with no
``make`` and no copy of this repository: ``pip install`` the wheel file, then ``course start``.

The wheel is the ``course_lib`` package with the self-paced edition built into it
(``course_lib/edition/``, :data:`course_lib.layout.PACKAGED_EDITION`), so an installed ``course
start`` has the lessons without the course's sources, nbgrader or a build step. It is built from a
staging copy, so the repository's own ``course_lib`` never holds an edition.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..layout import PACKAGED_EDITION, CourseLayout
from . import SELF_PACED, run

TOP_FILES = ("pyproject.toml", "README.md", "LICENSE")
PACKAGE = Path(__file__).resolve().parents[1]  # this course_lib, from the repository (an editable install)


def build_wheel(layout: CourseLayout, dest: Path, say=print) -> Path:
    """Build ``layout``'s self-paced edition, then a wheel of this ``course_lib`` with it inside, into ``dest``."""
    run(SELF_PACED, layout, say)
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="course-wheel-") as tmp:
        stage = Path(tmp) / "src"
        stage.mkdir()
        for name in TOP_FILES:
            shutil.copy2(PACKAGE.parent / name, stage / name)
        package = stage / "course_lib"
        shutil.copytree(PACKAGE, package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", PACKAGED_EDITION.name))
        shutil.copytree(layout.self_paced, package / PACKAGED_EDITION.name,
                        ignore=shutil.ignore_patterns("my-answers*", "my-progress*", ".ipynb_checkpoints"))
        out = Path(tmp) / "dist"
        done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                               "--disable-pip-version-check", "--wheel-dir", str(out), str(stage)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("pip could not build the wheel:\n" + (done.stderr or done.stdout)[-3000:])
        [wheel] = out.glob("*.whl")
        target = dest / wheel.name
        shutil.copy2(wheel, target)
    say(f"built {target}")
    return target
