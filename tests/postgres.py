"""A real PostgreSQL server for the tests, started in a temporary folder on 127.0.0.1 and stopped
after (Debian's postgresql package; `.ci/run` installs it). Skipped, saying why, where there is
none and it cannot be installed; on CI it must be there."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port

_STOP = {}  # url -> how to stop its server


def stop_server(url: str) -> None:
    """Stop the server of ``url`` now, as a crash or an administrator would (it stays stopped)."""
    _STOP[url]()


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


@contextmanager
def postgres_server():
    """Yields a SQLAlchemy URL of a fresh, empty database on a server of our own. Its folder is made
    in /tmp, where PostgreSQL's own account can reach it (pytest's folders are the runner's only)."""
    bin_dir = _bin()
    if bin_dir is None:
        message = "the PostgreSQL tests need Debian's postgresql package (sudo apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message + ": .ci/run should have installed it")
        pytest.skip(message)
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use its own account
        user = "postgres"
        pwd.getpwnam(user)
    folder = Path(tempfile.mkdtemp(prefix="course-pg-"))
    data, sockets = folder / "pgdata", folder / "pgsock"
    for path in (data, sockets):
        path.mkdir(parents=True)
        if user:
            shutil.chown(path, user)
    if user:
        shutil.chown(folder, user)

    def run(*cmd: str, check: bool = True):
        argv = ["runuser", "-u", user, "--", *cmd] if user else list(cmd)
        return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    port = free_port()
    log = folder / "postgres.log"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets}", "start")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/ot_course"
    _STOP[url] = lambda: run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop", check=False)
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "ot_course")
        yield url
    finally:
        _STOP.pop(url)()
        shutil.rmtree(folder, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    """Another empty database on the same server as ``url``; returns its URL."""
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://") + "/postgres",
                         autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
