"""A class arriving at once on the course's JupyterHub, on this machine. Prints figures; asserts nothing.

A real ``course hub`` (JupyterHub, its proxy, the learners' servers as their own accounts, the services)
on 127.0.0.1 with N learners on the class list. The instructor gives lesson 01 out with the instructor
page's button; then the learners arrive evenly over the ramp (default: 30 in 60 s). Each one logs in
through the hub's login form, has their server started (the hub's API, as the spawn page does), waits
for lesson 01 to arrive in their folder, and opens it in a kernel: the lesson's first cells (its title
and its first graded question, built as the page builds them). "Login to a usable lesson" is the time
from the login request to that question built. Then, with every learner's server and lesson open: the
memory (PSS, which counts shared pages once) of a learner's server and of a lesson's kernel, and the
CPU seconds the hub and the proxy used.

Everything runs on 127.0.0.1, every loop is bounded, and the script stops the hub and removes the
accounts it made. Run as root (each learner is a system account):

    sudo .venv/bin/python benchmarks/hub_load.py [--learners 30] [--ramp 60]
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import free_port  # noqa: E402
from hubtools import Person, remove_accounts, start_hub  # noqa: E402

from course_lib.layout import CourseLayout  # noqa: E402

LESSON = "01-what-is-ot"
OPEN_LESSON = ("from course_lib import lesson\nlesson.header()\n"
               "lesson.question(next(iter(lesson.content.questions)))\nprint('ready')\n")


def pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def processes(match) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                uid = entry.stat().st_uid
            except OSError:
                continue
            if match(cmd, uid):
                found.append(int(entry.name))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the learners arrive")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("Run as root: the hub makes a system account per learner.")
        return 1

    folder = Path(tempfile.mkdtemp(prefix="course-hub-load-", dir="/tmp"))
    folder.chmod(0o755)
    names = [f"learner{i:02d}" for i in range(1, args.learners + 1)]
    (folder / "class.csv").write_text("id,first_name,last_name,email\n" + "".join(f"{n},,,\n" for n in names))
    root = CourseLayout(ROOT).copy_sources(folder / "course").root
    hub_dir = folder / "hub"
    hub_dir.mkdir()
    (hub_dir / "hub.yaml").write_text(f"max_servers: {args.learners + 5}\n")
    print(f"Starting the hub ({args.learners} learners on the class list)...", flush=True)
    hub = start_hub(root, hub_dir, free_port(), "--instructor", "teacher", "--roster", str(folder / "class.csv"))
    try:
        return measure(hub, names, args.ramp)
    finally:
        hub.stop()
        remove_accounts(folder)
        shutil.rmtree(folder, ignore_errors=True)


def measure(hub, names: list[str], ramp: float) -> int:
    teacher = Person(hub, "teacher")
    print("Giving lesson 01 out from the instructor page (course release the first time)...", flush=True)
    started = time.monotonic()
    page = teacher.web.get(f"{hub.url}/services/ot-in-special-education/course/class", timeout=120)
    xsrf = re.search(r"name='_xsrf' value='([^']+)'", page.text).group(1)
    done = teacher.web.post(f"{hub.url}/services/ot-in-special-education/course/class", timeout=1800,
                            data={"_xsrf": xsrf, "action": "release", "lesson": LESSON})
    if "Done." not in done.text:
        print("Could not give the lesson out:\n" + done.text[-2000:])
        return 1
    print(f"  given out in {time.monotonic() - started:.0f} s", flush=True)

    port = hub.url.rsplit(":", 1)[1]
    hub_pid = next(p for p in processes(lambda cmd, uid: "-m jupyterhub -f" in cmd) if parent(p) == hub.proc.pid)
    proxy_pid = processes(lambda cmd, uid: "configurable-http-proxy" in cmd and f"--port {port} " in cmd)[0]
    cpu_before = {"hub": cpu_seconds(hub_pid), "proxy": cpu_seconds(proxy_pid)}
    times, failures, lock = {}, {}, threading.Lock()

    def arrive(i: int, name: str) -> None:
        time.sleep(i * ramp / len(names))
        t0 = time.monotonic()
        try:
            person = Person(hub, name)
            assert person.logged_in, f"login refused ({person.login.status_code})"
            person.start_server(seconds=600)
            person.wait_for_file(f"{LESSON}/{LESSON}.ipynb", seconds=300)
            said = person.run(f"{LESSON}/{LESSON}.ipynb", OPEN_LESSON, seconds=600, keep=True)
            assert "ready" in said, said
            with lock:
                times[name] = time.monotonic() - t0
        except Exception as exc:  # noqa: BLE001 - a failure is a figure here
            with lock:
                failures[name] = f"{exc.__class__.__name__}: {str(exc)[:200]}"

    print(f"{len(names)} learners arriving over {ramp:.0f} s (load average before: {os.getloadavg()[0]:.1f})...",
          flush=True)
    t_start = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        list(pool.map(lambda p: arrive(*p), enumerate(names)))
    wall = time.monotonic() - t_start
    cpu = {"hub": cpu_seconds(hub_pid) - cpu_before["hub"], "proxy": cpu_seconds(proxy_pid) - cpu_before["proxy"]}

    # every learner's server and their lesson's kernel, still open: their memory
    uids = {pwd.getpwnam(f"learner-{n}").pw_uid for n in names if n in times}
    server_pids = processes(lambda cmd, uid: uid in uids and "jupyterhub.singleuser" in cmd)
    kernel_pids = processes(lambda cmd, uid: uid in uids and "ipykernel" in cmd)
    servers = [pss_kib(p) for p in server_pids]
    learner_cpu = sum(cpu_seconds(p) for p in (*server_pids, *kernel_pids))
    kernels = [pss_kib(p) for p in kernel_pids]

    ok = sorted(times.values())
    print(f"\nLearners served: {len(ok)} of {len(names)} in {wall:.0f} s; failures: {len(failures)}; "
          f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, why in sorted(failures.items()):
        print(f"  {name}: {why}")
    if ok:
        p95 = ok[min(len(ok) - 1, int(round(0.95 * len(ok))) - 1)]
        print(f"Login to a usable lesson: p50 {statistics.median(ok):.1f} s, p95 {p95:.1f} s, max {ok[-1]:.1f} s")
    if servers:
        print(f"Memory of a learner's server (PSS): median {statistics.median(servers) / 1024:.0f} MiB "
              f"({len(servers)} servers)")
    if kernels:
        print(f"Memory of a lesson's kernel (PSS): median {statistics.median(kernels) / 1024:.0f} MiB "
              f"({len(kernels)} kernels)")
    print(f"CPU of a learner's server and lesson kernel, from start to a usable lesson: "
          f"{learner_cpu / max(len(ok), 1):.1f} s per learner")
    print(f"CPU while they arrived: hub {cpu['hub']:.1f} s, proxy {cpu['proxy']:.1f} s "
          f"({cpu['hub'] / max(len(ok), 1):.2f} s and {cpu['proxy'] / max(len(ok), 1):.2f} s per learner)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
