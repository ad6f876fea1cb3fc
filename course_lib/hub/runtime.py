"""A Python every account can run, with the course's environment: what learners' servers run on.

As root, each learner's server runs as their own account, so the interpreter and the packages
must be readable by every account. A Python installed under a private folder (pyenv in
``/root``, say) is not. Then ``course hub`` makes ``hub-python/`` inside the course's virtual
environment: the same interpreter (its binary, its ``libpython`` and its standard library, hard
links where the disk allows, so no space is used) in a folder everyone can enter, and a virtual
environment of it that reads the course's packages, its ``share/`` and ``etc/`` Jupyter folders
and its commands. It must be the same interpreter, not the machine's own Python of the same
version: files compiled by one patch release are read by the other through the shared package
folder, and Debian's 3.11.2 runs some of the packages' regular expressions differently (nbconvert's
feedback pages failed). Where the course's Python is already usable by everyone, it is used as it is.
"""

from __future__ import annotations

import os
import shutil
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
    from .spawner import as_root

    if not as_root() or everyone_can_run(Path(sys.executable)):
        return sys.executable
    return str(_build(Path(sys.prefix) / "hub-python"))


def _build(target: Path) -> Path:
    here, base = Path(sys.prefix), Path(sys.base_prefix)
    site = Path(sysconfig.get_paths()["purelib"])
    python = target / "bin" / "python"
    stamp = f"{base}\n{here}\n{site}\n{sys.version}\n"
    if (target / ".made-from").is_file() and (target / ".made-from").read_text() == stamp and python.exists():
        return python
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    interpreter = _copy_interpreter(base, target / "base", version)
    (target / "bin").mkdir(parents=True, exist_ok=True)
    packages = target / "lib" / version / "site-packages"
    packages.mkdir(parents=True, exist_ok=True)
    atomic_write(target / "pyvenv.cfg", f"home = {interpreter.parent}\ninclude-system-site-packages = false\n")
    atomic_write(packages / "_course_environment.pth", f"import site; site.addsitedir({str(site)!r})\n")
    for name, link_to in (("share", here / "share"), ("etc", here / "etc"), ("bin/python", interpreter),
                          (f"bin/{version}", interpreter), ("bin/python3", interpreter)):
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
    if not everyone_can_run(python):
        from .command import HubError

        raise HubError(f"Could not make a Python every account can run in {target}")
    atomic_write(target / ".made-from", stamp)
    return python


def _copy_interpreter(base: Path, dest: Path, version: str) -> Path:
    """The interpreter, its shared library and its standard library (not its site-packages) under ``dest``."""
    def place(src: Path, to: Path) -> None:
        to.parent.mkdir(parents=True, exist_ok=True)
        if to.exists() or to.is_symlink():
            to.unlink()
        try:
            os.link(src, to)
        except OSError:  # another disk: a copy
            shutil.copy2(src, to)

    stdlib = base / "lib" / version
    for folder, dirs, files in os.walk(stdlib):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__", "test")]
        for name in files:
            src = Path(folder) / name
            place(src, dest / src.relative_to(base))
    for lib in (base / "lib").glob(f"lib{version}*.so*"):
        place(lib.resolve(), dest / "lib" / lib.name)
    binary = dest / "bin" / version
    binary.parent.mkdir(parents=True, exist_ok=True)
    data = Path(os.path.realpath(base / "bin" / version)).read_bytes()
    # Its library search path names the private folder: point it at its own lib/ instead, same length
    # (an ELF string, NUL-terminated; $ORIGIN is the binary's folder).
    old = str(base / "lib").encode() + b"\0"
    new = b"$ORIGIN/../lib"
    if old in data and len(new) < len(old):
        data = data.replace(old, new + b"\0" * (len(old) - len(new)))
    atomic_write(binary, data)
    binary.chmod(0o755)
    return binary
