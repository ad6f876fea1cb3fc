"""Each learner's server in their own folder, as their own system account when the hub runs as root.

Like The Littlest JupyterHub (which makes a ``jupyter-<name>`` account per user and runs their
server with systemd), the spawner makes the account ``learner-<login>`` the first time a learner
starts, with ``hub/home/<login>/`` (mode 0700) as its home, and runs the learner's server as it:
one learner's files cannot be read by another's server, kernel or account. Not as root (trying
the hub on one's own computer), every server runs as the hub's own account in its own folder,
and the hub says so when it starts.

The memory limit (``Spawner.mem_limit``) is enforced on the learner's server and on each kernel
it starts (an ``RLIMIT_DATA`` each: a runaway kernel gets a MemoryError, not the machine); the
process spawner has no cgroups, so it is per process, not per learner.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Bool, Unicode, default

from .settings import system_name

_ACCOUNTS = asyncio.Lock()  # useradd takes /etc/passwd's lock: one at a time, in the hub's order


def as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_account(name: str, home: Path) -> pwd.struct_passwd:
    """The system account ``name`` with ``home`` (made 0700, owned by it); made if need be."""
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/usr/sbin/nologin",
                        "--comment", "course learner", name], check=True, capture_output=True, text=True)
        account = pwd.getpwnam(name)
    if account.pw_dir != str(home):  # the hub folder moved, or an earlier hub made the account
        subprocess.run(["usermod", "--home", str(home), name], check=True, capture_output=True, text=True)
        account = pwd.getpwnam(name)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    if (home.stat().st_uid, home.stat().st_gid) != (account.pw_uid, account.pw_gid):
        shutil.chown(home, account.pw_uid, account.pw_gid)
    home.chmod(0o700)
    return account


class CourseSpawner(LocalProcessSpawner):
    homes = Unicode(config=True, help="the folder that holds each learner's own folder (hub/home)")
    exchange = Unicode(config=True, help="nbgrader's exchange folder")
    system_users = Bool(config=True, help="each learner as their own system account (default: when run as root)")

    @default("system_users")
    def _as_root(self) -> bool:
        return as_root()

    @default("cmd")
    def _learner_server(self) -> list[str]:
        return [sys.executable, "-m", "course_lib.hub.learner"]

    @property
    def home(self) -> Path:
        return Path(self.homes) / self.user.name

    @property
    def account(self) -> str:
        return system_name(self.user.name) if self.system_users else pwd.getpwuid(os.getuid()).pw_name

    @property
    def cohort(self) -> str:
        groups = sorted(g.name.removeprefix("nbgrader-") for g in self.user.groups if g.name.startswith("nbgrader-"))
        return groups[0] if groups else ""

    async def start(self):
        if self.system_users:
            async with _ACCOUNTS:
                await asyncio.get_running_loop().run_in_executor(None, ensure_account, self.account, self.home)
        else:
            self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        return await super().start()

    def make_preexec_fn(self, name):
        limit, home = self.mem_limit, str(self.home)
        become = set_user_setuid(self.account, chdir=False) if self.system_users else None

        def preexec():
            if limit:
                resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
            if become is not None:
                become()
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env.update(USER=self.account, HOME=str(self.home), SHELL="/bin/sh")
        return env

    def get_env(self):
        env = super().get_env()
        env.update(COURSE_HUB_COURSE=self.cohort, COURSE_HUB_EXCHANGE=self.exchange)
        # the kernel's "python" is the server's own (a Python every account can run: course_lib.hub.runtime)
        env["PATH"] = os.pathsep.join([os.path.dirname(self.cmd[0]), env.get("PATH", "")])
        return env
