"""A Python every account can run, with the course's environment: what learners' servers run on.

As root, each learner's server runs as their own account, so the interpreter and the packages
must be readable by every account. A Python installed under a private folder (pyenv in
``/root``, say) is not. Then ``course hub`` makes ``build/hub-python/``, a virtual environment of
the machine's own Python of the same version (``/usr/bin/python3.X``, same ABI) that reads the
course's environment (``.venv``'s packages, its ``share/`` and ``etc/`` Jupyter folders, and its
commands with their first line pointed at this Python), as The Littlest JupyterHub keeps a user
environment apart from the hub's. Where the course's Python is already usable by everyone, it is
used as it is.
"""

from __future__ import annotations

import os
import stat
import sys
import sysconfig
from pathlib import Path

from ..files import atomic_write
from ..layout import CourseLayout


def everyone_can_run(path: Path) -> bool:
    """Whether any account can run ``path``: every folder on its way can be entered, the file run."""
    real = Path(os.path.realpath(path))
    try:
        if not real.stat().st_mode & stat.S_IXOTH:
            return False
        return all(p.stat().st_mode & stat.S_IXOTH for p in real.parents)
    except OSError:
        return False


def shared_python(layout: CourseLayout) -> str:
    """The interpreter the learners', graders' and web view's processes run."""
    from .command import HubError
    from .spawner import as_root

    if not as_root() or everyone_can_run(Path(sys.executable)):
        return sys.executable
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    base = next((p for p in (Path(f"/usr/bin/python{version}"), Path(f"/usr/local/bin/python{version}"))
                 if p.is_file() and everyone_can_run(p)), None)
    if base is None:
        raise HubError(f"Learners' accounts cannot run this Python ({os.path.realpath(sys.executable)}), and there is "
                       f"no Python {version} they can run: install one (sudo apt-get install python{version})")
    return str(_build(layout.root / "build" / "hub-python", base))


def _build(target: Path, base: Path) -> Path:
    here = Path(sys.prefix)
    site = Path(sysconfig.get_paths()["purelib"])
    python = target / "bin" / "python"
    stamp = f"{base}\n{here}\n{site}\n"
    if (target / ".made-from").is_file() and (target / ".made-from").read_text() == stamp and python.exists():
        return python
    (target / "bin").mkdir(parents=True, exist_ok=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    packages = target / "lib" / version / "site-packages"
    packages.mkdir(parents=True, exist_ok=True)
    atomic_write(target / "pyvenv.cfg", f"home = {base.parent}\ninclude-system-site-packages = false\n")
    atomic_write(packages / "_course_environment.pth", f"import site; site.addsitedir({str(site)!r})\n")
    for name, link_to in (("share", here / "share"), ("etc", here / "etc"), ("bin/python", base),
                          (f"bin/{version}", base), ("bin/python3", base)):
        link = target / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(link_to)
    shebang = f"#!{here / 'bin'}/python".encode()
    for script in (here / "bin").iterdir():
        if script.is_file() and not script.is_symlink() and script.read_bytes()[:len(shebang)] == shebang:
            body = script.read_bytes().split(b"\n", 1)
            copy = target / "bin" / script.name
            atomic_write(copy, b"#!" + str(python).encode() + b"\n" + (body[1] if len(body) > 1 else b""))
            copy.chmod(0o755)
    for path in (target, *target.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
    atomic_write(target / ".made-from", stamp)
    return python
