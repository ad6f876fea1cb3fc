"""How many visitors the read-only web view serves at once, measured at the protocol level. Prints
figures; asserts nothing.

Each simulated visitor does, without a browser, what Chromium does for a lesson page in Voila 0.5:
it opens the page with a browser's navigation headers (cookies kept), loads the page's scripts and
styles (the list recorded once from one real page in Chromium; each visitor's cache follows the
server's Cache-Control, so a returning visitor asks only for what a browser would ask again), asks
for its kernel's model (``GET /api/kernels/<id>``), connects to the kernel's channels with the page's
cookies, Origin and Jupyter's v1 subprotocol, and starts the widget manager as ipywidgets 8 does:
``kernel_info_request``, then a ``jupyter.widget.control`` comm with ``request_states``.

The time measured is from the start of the page request to the kernel's ``update_states`` reply,
the message that carries every widget's state. No widget can be drawn before it; after it, what is
left is the browser's own work (about 0.9 s in Chromium here, benchmarks/web_view.py), which does
not grow with the number of visitors: it happens on each visitor's own device.

A crowd is N visitors arriving evenly over a ramp, all opening the same lesson (a class or a
newsletter following one link: the hardest case for the pool of preheated kernels; ``--spread``
sends them round the lessons instead). A visitor keeps its page open until the whole crowd has
arrived (people read for half an hour: nobody leaves within the minute), then closes it as a tab
does, with Voila's "tab closed" beacon and ``_xsrf``. Then the same lesson is opened back to back by
one visitor (each visit opened, ready, closed, then the next). For Voila's defaults and the course's
tuned settings in one run, with the course's caps in both: p50/p95 time to the first widget message,
failures, peak kernels, memory of the server and its kernels (RSS, and PSS, which counts shared
pages once), and CPU seconds per visitor, the server's and its kernels' (start, run, end, refill).

Everything runs on 127.0.0.1, every loop is bounded in count and time, and the script stops its
servers itself. ``--cpus 0`` runs the server (and its kernels) on core 0 only and this script on
the other core, to see what one core serves.

    .venv/bin/python benchmarks/web_load.py [--crowds 10,25,50,100] [--ramp 60] [--back-to-back 10] [--cpus 0]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import email.utils
import functools
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from webtools import NAVIGATION, V1, kernel_id  # noqa: E402

from course_lib.layout import CourseLayout  # noqa: E402
from course_lib.publish import SELF_PACED, run  # noqa: E402
from course_lib.web import SETTINGS, voila_command  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they are measured
CLOCK = os.sysconf("SC_CLK_TCK")
READY = ".course-question button"
CHROMIUM = {"executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]}
BROWSER_CONNECTIONS = 6  # what a browser opens to one host over HTTP/1.1
GOAL_VISITORS, GOAL_P95, GOAL_SPEEDUP = 50, 3.0, 2.0


# -- the server's process tree, from /proc ------------------------------------------------------------

def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # fields from 3 (state) on


def kernel_pids(server: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == server and b"ipykernel" in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass  # gone meanwhile
    return pids


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MiB; PSS shares each shared page among the processes mapping it."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                values[key] = int(rest.split()[0]) / 1024
    except OSError:
        return 0.0, 0.0
    return values.get("Rss", 0.0), values.get("Pss", 0.0)


def cpu_seconds(server: int) -> float:
    """CPU time of the server, its live kernels and the kernels it has ended (reaped children)."""
    fields = _stat(server)
    total = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for pid in kernel_pids(server):
        with contextlib.suppress(OSError):
            total += sum(int(f) for f in _stat(pid)[11:13])
    return total / CLOCK


@dataclass
class Snapshot:
    kernels: int
    server_rss: float
    server_pss: float
    kernels_rss: float
    kernels_pss: float

    @property
    def rss(self) -> float:
        return self.server_rss + self.kernels_rss

    @property
    def pss(self) -> float:
        return self.server_pss + self.kernels_pss


def snapshot(server: int) -> Snapshot:
    kernels = [memory_mib(pid) for pid in kernel_pids(server)]
    srv = memory_mib(server)
    return Snapshot(len(kernels), *srv, sum(k[0] for k in kernels), sum(k[1] for k in kernels))


class Sampler:
    """Peak kernels and memory while a crowd is served, sampled every second."""

    def __init__(self, server: int):
        self.server, self.peak, self._task = server, Snapshot(0, 0, 0, 0, 0), None

    async def _run(self) -> None:
        for _ in range(3600):  # bounded; stopped long before
            now = await asyncio.to_thread(snapshot, self.server)
            if now.pss > self.peak.pss or now.kernels > self.peak.kernels:
                self.peak = Snapshot(max(now.kernels, self.peak.kernels), *(max(a, b) for a, b in zip(
                    (now.server_rss, now.server_pss, now.kernels_rss, now.kernels_pss),
                    (self.peak.server_rss, self.peak.server_pss, self.peak.kernels_rss, self.peak.kernels_pss),
                    strict=True)))
            await asyncio.sleep(1)

    def __enter__(self):
        self._task = asyncio.ensure_future(self._run())
        return self

    def __exit__(self, *exc):
        self._task.cancel()


# -- the server ------------------------------------------------------------------------------------

class Server:
    """One web view (course_lib.web.voila_command), optionally on some cores only (taskset)."""

    def __init__(self, release: Path, port: int, tuned: bool, cpus: str | None, max_kernels: int,
                 extra: list[str], log: Path, open_files: int | None = None):
        extra = extra if tuned else []
        # an extra option that names one of the course's settings takes its place, not a second value
        given = {m.group(1): m.group(2) for m in (re.fullmatch(r"--\w+\.(\w+)=(.*)", e) for e in extra)
                 if m and m.group(1) in SETTINGS}
        cmd, env = voila_command(release, port, tuned=tuned, **{"max_kernels": max_kernels, **given})
        cmd = cmd + [e for e in extra if not any(e.startswith(f"--{SETTINGS[n].owner}.{n}=") for n in given)]
        if cpus:
            cmd = ["taskset", "-c", cpus, *cmd]
        limit = None if open_files is None else (
            lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files)))  # as ulimit -n does
        self.log_path, self.log = log, log.open("w")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=limit)
        self.base = f"http://127.0.0.1:{port}"
        self.rest = Snapshot(0, 0, 0, 0, 0)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def url(self, page: str) -> str:
        return f"{self.base}/voila/render/{page}"

    async def up(self, seconds: float = 90) -> float:
        start = time.monotonic()
        async with httpx.AsyncClient() as client:
            while time.monotonic() - start < seconds:
                if self.proc.poll() is not None:
                    raise SystemExit(f"the server stopped; see {self.log.name}")
                try:
                    await client.get(self.base + "/", timeout=2)
                    return time.monotonic() - start
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)
        raise SystemExit(f"the server did not answer in {seconds} s; see {self.log.name}")

    async def settle(self, kernels: int | None = None, seconds: float = 180) -> float:
        """Waits until the server is idle (under 5% of a core for 3 s; ``kernels`` alive if given)."""
        start = time.monotonic()
        quiet, last = 0, cpu_seconds(self.pid)
        while time.monotonic() - start < seconds and quiet < 3:
            await asyncio.sleep(1)
            now = cpu_seconds(self.pid)
            count_ok = kernels is None or len(kernel_pids(self.pid)) == kernels
            quiet = quiet + 1 if now - last < 0.05 and count_ok else 0
            last = now
        return time.monotonic() - start

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# -- a browser, at the protocol level ------------------------------------------------------------------

class Cache:
    """A browser's HTTP cache, as far as freshness goes: fresh entries are not asked for again, stale
    ones are revalidated (If-None-Match / If-Modified-Since), as Cache-Control and RFC 9111 say."""

    def __init__(self):
        self.entries: dict[str, tuple[float, float, dict]] = {}  # path -> (stored at, fresh for, validators)

    def fresh(self, path: str) -> bool:
        entry = self.entries.get(path)
        return bool(entry) and time.time() - entry[0] < entry[1]

    def validators(self, path: str) -> dict:
        return self.entries[path][2] if path in self.entries else {}

    def store(self, path: str, response: httpx.Response) -> None:
        control = response.headers.get("Cache-Control", "").lower()
        if "no-store" in control:
            return
        headers = response.headers
        validators = {k: v for k, v in (("If-None-Match", headers.get("ETag")),
                                        ("If-Modified-Since", headers.get("Last-Modified"))) if v}
        if response.status_code == 304:
            validators = self.validators(path) or validators
        self.entries[path] = (time.time(), _freshness(headers, control), validators)


def _date(value: str | None) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError):
        return None


def _freshness(headers, control: str) -> float:
    if "no-cache" in control:
        return 0.0
    age = re.search(r"max-age=(\d+)", control)
    if age:
        return float(age.group(1))
    date, expires, modified = (_date(headers.get(h)) for h in ("Date", "Expires", "Last-Modified"))
    if expires is not None:
        return expires - (date or time.time())
    if modified is not None:  # heuristic freshness: a tenth of the time since the last change
        return 0.1 * max(0.0, (date or time.time()) - modified)
    return 0.0


@dataclass
class Visit:
    outcome: str = "ok"  # ok, busy (503), crowded (429), timeout, or what went wrong
    total: float = float("inf")  # seconds from the page request to the first widget message
    steps: dict = field(default_factory=dict)  # seconds from the page request to each step
    state_bytes: int = 0
    asset_requests: int = 0
    asset_bytes: int = 0
    kernel: str | None = None
    socket: object = None
    drain: asyncio.Task | None = None


class Visitor:
    """One browser: its own cookies, cache and connections."""

    def __init__(self, base: str, assets: list[str], timeout: float):
        self.base, self.assets, self.timeout = base, assets, timeout
        self.cache = Cache()
        self.http = httpx.AsyncClient(base_url=base, timeout=timeout, follow_redirects=False,
                                      limits=httpx.Limits(max_connections=BROWSER_CONNECTIONS))

    def cookie_header(self, path: str) -> str:
        """The cookies a browser sends to ``path`` (each page's key goes only to its own kernel's paths)."""
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies.jar
                         if c.path in ("", "/") or path == c.path or path.startswith(c.path.rstrip("/") + "/"))

    async def open(self, url: str) -> Visit:
        visit, start = Visit(), time.perf_counter()
        try:
            await asyncio.wait_for(self._open(url, visit, start), self.timeout)
        except TimeoutError:
            visit.outcome = "timeout"
        except Exception as error:  # noqa: BLE001 - whatever went wrong is this visit's outcome
            visit.outcome = f"{type(error).__name__}: {error}"[:80]
        return visit

    async def _open(self, url: str, visit: Visit, start: float) -> None:
        def mark(step: str) -> None:
            visit.steps[step] = time.perf_counter() - start

        body = bytearray()
        async with self.http.stream("GET", url, headers=NAVIGATION) as page:
            async for chunk in page.aiter_bytes():
                if not body:
                    mark("first byte")
                body += chunk
        mark("page")
        if page.status_code != 200:
            visit.outcome = {503: "busy", 429: "crowded"}.get(page.status_code, f"HTTP {page.status_code}")
            return
        html = body.decode()
        visit.kernel = kernel_id(html)
        await self._load_assets(visit)
        mark("assets")
        # What Voila's widget manager plugin does once the page has loaded.
        model = await self.http.get(f"/api/kernels/{visit.kernel}?{int(time.time() * 1000)}")
        if model.status_code != 200:
            visit.outcome = f"kernel model HTTP {model.status_code}"
            return
        session, channels = uuid.uuid4().hex, f"/api/kernels/{visit.kernel}/channels"
        request = HTTPRequest(f"ws{self.base.removeprefix('http')}{channels}?session_id={session}",
                              headers={"Cookie": self.cookie_header(channels), "Origin": self.base})
        socket = visit.socket = await websocket_connect(request, subprotocols=[V1], max_message_size=64 << 20)
        mark("socket")
        await socket.write_message(_message("kernel_info_request", {}, session), binary=True)
        await _until(socket, lambda kind, content: kind == "kernel_info_reply")
        mark("kernel info")
        comm = uuid.uuid4().hex
        await socket.write_message(_message("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                                          "data": {}}, session, {"version": "1.0.0"}), binary=True)
        await socket.write_message(_message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}},
                                            session), binary=True)
        visit.state_bytes = await _until(socket, lambda kind, content: kind == "comm_msg"
                                         and b"update_states" in content[:200])
        visit.total = time.perf_counter() - start
        await socket.write_message(_message("comm_close", {"comm_id": comm, "data": {}}, session), binary=True)
        visit.drain = asyncio.ensure_future(_drain(socket))  # the open page keeps reading its kernel

    async def _load_assets(self, visit: Visit) -> None:
        queue = [path for path in self.assets if not self.cache.fresh(path)]

        async def worker():
            while queue:
                path = queue.pop(0)
                response = await self.http.get(path, headers=self.cache.validators(path))
                visit.asset_requests += 1
                visit.asset_bytes += len(response.content)
                if response.status_code in (200, 304):
                    self.cache.store(path, response)

        await asyncio.gather(*(worker() for _ in range(BROWSER_CONNECTIONS)))

    async def close(self, visit: Visit) -> None:
        """What closing the tab does: Voila's beacon with the page's _xsrf, and the socket closes."""
        if visit.kernel:
            xsrf = self.http.cookies.get("_xsrf", "")
            with contextlib.suppress(httpx.HTTPError):
                await self.http.post(f"/voila/api/shutdown/{visit.kernel}", data={"_xsrf": xsrf},
                                     headers={"Origin": self.base})
        if visit.drain:
            visit.drain.cancel()
        if visit.socket:
            visit.socket.close()

    async def aclose(self) -> None:
        await self.http.aclose()


def _message(kind: str, content: dict, session: str, metadata: dict | None = None) -> bytes:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": kind, "username": "", "session": session,
              "date": datetime.datetime.now(datetime.UTC).isoformat(), "version": "5.2"}
    parts = [json.dumps(part).encode() for part in (header, {}, metadata or {}, content)]
    return serialize_msg_to_ws_v1(parts, "shell")


async def _until(socket, wanted) -> int:
    """Reads the kernel's messages until ``wanted(msg_type, content bytes)``; returns that message's size."""
    for _ in range(100_000):
        raw = await socket.read_message()
        if raw is None:
            raise WebSocketClosedError("the kernel's channels closed")
        _channel, parts = deserialize_msg_from_ws_v1(raw)
        if wanted(json.loads(parts[0]).get("msg_type"), parts[3]):
            return len(raw)
    raise ValueError("no such message")


async def _drain(socket) -> None:
    for _ in range(1_000_000):
        if await socket.read_message() is None:
            return


# -- what is measured --------------------------------------------------------------------------------

async def record_assets(server: Server, page: str) -> tuple[list[str], str]:
    """Paths of the scripts and styles one real page loads (Chromium, once), in order."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        return await _named_assets(server, page), "named in the page (no Playwright)"
    seen: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**CHROMIUM)
        try:
            tab = await browser.new_page()
            tab.on("request", lambda r: seen.append(r.url) if r.method == "GET" else None)
            await tab.goto(server.url(page))
            await tab.wait_for_selector(READY, timeout=60_000)
            await tab.wait_for_load_state("networkidle")
            await tab.goto("about:blank")  # leaving the page sends the beacon that frees its kernel
            await asyncio.sleep(1)
        finally:
            await browser.close()
    paths = [url.removeprefix(server.base) for url in seen if url.startswith(server.base + "/")]
    return [p for p in paths if "/api/" not in p and "/voila/render/" not in p], "recorded from Chromium"


async def _named_assets(server: Server, page: str) -> list[str]:
    visitor = Visitor(server.base, [], 60)
    try:
        html = (await visitor.http.get(server.url(page), headers=NAVIGATION)).text
    finally:
        await visitor.aclose()
    config = json.loads(re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    named = re.findall(r'<(?:script[^>]*src|link[^>]*href)="(/[^"]+)"', html)
    return named + [f"{config['fullLabextensionsUrl']}/{ext['name']}/{ext['load']}"
                    for ext in config.get("federated_extensions", [])]


@dataclass
class Crowd:
    visits: list[Visit]
    peak: Snapshot
    cpu: float  # seconds of CPU, server and kernels, from the first arrival until idle again
    seconds: float  # wall time from the first arrival to the last first widget message

    def times(self) -> list[float]:
        return [v.total for v in self.visits if v.outcome == "ok"]

    def failures(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for v in self.visits:
            if v.outcome != "ok":
                out[v.outcome] = out.get(v.outcome, 0) + 1
        return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def crowd(server: Server, pages: list[str], visitors: int, ramp: float, assets: list[str],
                timeout: float) -> Crowd:
    """``visitors`` arrive evenly over ``ramp`` seconds; each keeps its page open until all have arrived."""
    arrived = [asyncio.get_running_loop().create_future() for _ in range(visitors)]
    everyone_in = asyncio.Event()
    cpu_before, start = cpu_seconds(server.pid), time.monotonic()

    async def one(i: int) -> Visit:
        await asyncio.sleep(i * ramp / visitors)
        visitor = None
        try:
            visitor = Visitor(server.base, assets, timeout)
            visit = await visitor.open(server.url(pages[i % len(pages)]))
            arrived[i].set_result(time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(everyone_in.wait(), ramp + 2 * timeout)
            await visitor.close(visit)
            return visit
        finally:
            if not arrived[i].done():
                arrived[i].set_result(time.monotonic())
            if visitor:
                await asyncio.wait_for(visitor.aclose(), 30)

    with Sampler(server.pid) as sampler:
        tasks = [asyncio.ensure_future(one(i)) for i in range(visitors)]
        last = max(await asyncio.wait_for(asyncio.gather(*arrived), ramp + 2 * timeout))
        await asyncio.sleep(1)  # one more sample at the peak
        everyone_in.set()
        visits = await asyncio.wait_for(asyncio.gather(*tasks), 3 * timeout)
    await server.settle(server.rest.kernels)
    return Crowd(visits, sampler.peak, cpu_seconds(server.pid) - cpu_before, last - start)


async def back_to_back(server: Server, page: str, visits: int, gap: float, assets: list[str],
                       timeout: float) -> list[Visit]:
    """One visitor opens the same page ``visits`` times, one after another (cookies and cache kept)."""
    visitor, done = Visitor(server.base, assets, timeout), []
    try:
        for _ in range(visits):
            visit = await visitor.open(server.url(page))
            await visitor.close(visit)
            done.append(visit)
            await asyncio.sleep(gap)
    finally:
        await visitor.aclose()
    await server.settle(server.rest.kernels)
    return done


# -- the run ----------------------------------------------------------------------------------------

def steps_line(visits: list[Visit]) -> str:
    ok = [v for v in visits if v.outcome == "ok"]
    if not ok:
        return ""
    names = ("first byte", "page", "assets", "socket", "kernel info")
    parts = [f"{name} {statistics.median(v.steps[name] for v in ok):.2f}" for name in names]
    first = statistics.median(v.total for v in ok)
    return "p50 s after the request: " + ", ".join(parts) + f", first widget {first:.2f}"


async def measure(args, release: Path, pages: list[str], mode: str, assets: list[str] | None) -> dict:
    tuned = mode == "tuned"
    server = Server(release, args.port, tuned, args.cpus, args.max_kernels, args.extra, args.logs / f"{mode}.log",
                    args.open_files)
    try:
        up = await server.up()
        settle = await server.settle()
        server.rest = await asyncio.to_thread(snapshot, server.pid)
        rest = server.rest
        print(f"\n{mode}: up in {up:.1f} s, idle {settle:.0f} s later; at rest {rest.kernels} kernels, "
              f"server {rest.server_rss:.0f} MiB RSS, all {rest.rss:.0f} MiB RSS / {rest.pss:.0f} MiB PSS")
        if cap := re.search(r"Kernel cap: [^\n]*", server.log_path.read_text()):
            print(f"  {cap.group(0)}")
        if assets is None:
            assets, how = await record_assets(server, pages[0])
            print(f"  page assets: {len(assets)} requests ({how})")
            await server.settle(rest.kernels)
        result = {"rest": rest, "crowds": {}, "assets": assets}
        for size in args.crowds:
            got = await crowd(server, pages, size, args.ramp, assets, args.timeout)
            result["crowds"][size] = got
            times, fails = got.times(), got.failures()
            extra = got.peak.kernels - rest.kernels
            per = (got.peak.pss - rest.pss) / extra if extra > 0 else float("nan")
            print(f"  {size:3d} visitors over {args.ramp:.0f} s: p50 {pct(times, .5):5.2f} s"
                  f"  p95 {pct(times, .95):5.2f} s"
                  f"  max {max(times, default=float('nan')):5.2f} s  failures {sum(fails.values())}"
                  f"{' ' + str(fails) if fails else ''}; peak {got.peak.kernels} kernels, "
                  f"{got.peak.rss:.0f} MiB RSS / {got.peak.pss:.0f} MiB PSS ({per:.0f} MiB PSS per extra kernel); "
                  f"CPU {got.cpu / size:.2f} s per visitor")
            sizes = [v.state_bytes for v in got.visits if v.outcome == "ok"] or [0]
            print(f"      {steps_line(got.visits)}; widget state {statistics.median(sizes) / 1024:.0f} KiB")
        result["b2b"] = {}
        for gap in args.gaps if args.back_to_back else ():
            row = await back_to_back(server, pages[0], args.back_to_back, gap, assets, args.timeout)
            result["b2b"][gap] = row
            times = [v.total for v in row if v.outcome == "ok"]
            print(f"  {pages[0]} opened {len(row)} times back to back, {gap:g} s apart: p50 {pct(times, .5):.2f} s, "
                  f"p95 {pct(times, .95):.2f} s, each: " + " ".join(f"{t:.2f}" for t in times)
                  + (f"; failures {len(row) - len(times)}" if len(times) < len(row) else ""))
            print(f"      {steps_line(row)}; asset requests per visit after the first: "
                  f"{statistics.median(v.asset_requests for v in row[1:]) if len(row) > 1 else 0:.0f}")
        return result
    finally:
        server.stop()


def summary(results: dict, args) -> None:
    print("\nsummary")
    for size in args.crowds:
        row = []
        for mode, result in results.items():
            got = result["crowds"][size]
            row.append(f"{mode} p50 {pct(got.times(), .5):.2f} s, p95 {pct(got.times(), .95):.2f} s, "
                       f"{sum(got.failures().values())} failed, peak {got.peak.kernels} kernels / "
                       f"{got.peak.pss:.0f} MiB PSS")
        print(f"  {size:3d} visitors: " + "; ".join(row))
    for mode, result in results.items():
        rest = result["rest"]
        print(f"  at rest, {mode}: {rest.kernels} kernels, {rest.rss:.0f} MiB RSS, {rest.pss:.0f} MiB PSS")
    if GOAL_VISITORS in args.crowds and "tuned" in results:
        got = results["tuned"]["crowds"][GOAL_VISITORS]
        ok = not got.failures() and pct(got.times(), .95) < GOAL_P95 and got.seconds <= args.ramp + GOAL_P95
        print(f"  goal, {GOAL_VISITORS} visitors within a minute with p95 under {GOAL_P95:.0f} s (tuned): "
              f"{'met' if ok else 'not met'}")
    for gap in args.gaps if args.back_to_back and {"tuned", "default"} <= results.keys() else ():
        d, t = (statistics.median(v.total for v in results[m]["b2b"][gap]) for m in ("default", "tuned"))
        print(f"  back to back, {gap:g} s apart: default p50 {d:.2f} s, tuned p50 {t:.2f} s, tuned {d / t:.1f}x "
              f"faster (goal {GOAL_SPEEDUP:.0f}x: {'met' if d / t >= GOAL_SPEEDUP else 'not met'})")
    used = resource.getrusage(resource.RUSAGE_SELF)
    print(f"  this script used {used.ru_utime + used.ru_stime:.0f} s of CPU itself; "
          f"load average at the end {os.getloadavg()[0]:.2f}")


def _dump_tasks() -> None:
    """``kill -USR1 <pid>`` prints what every task is waiting for (a run that seems stuck)."""
    for task in asyncio.all_tasks():
        task.print_stack(limit=6, file=sys.stdout)


async def run_all(args, release: Path, pages: list[str]) -> None:
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, _dump_tasks)
    results, assets = {}, None if args.assets else []
    for mode in args.modes:
        results[mode] = await measure(args, release, pages, mode, assets)
        assets = results[mode]["assets"]
    summary(results, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--crowds", default="10,25,50,100", help="crowd sizes, comma-separated")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which a crowd arrives")
    parser.add_argument("--back-to-back", type=int, default=10, help="visits of one page one after another")
    parser.add_argument("--gaps", default="0,1", help="seconds between back-to-back visits: 0 is strictly one "
                        "after another; 1 is about the time a browser takes to draw the page (web_view.py)")
    parser.add_argument("--page", default="01-what-is-ot", help="the lesson every visitor opens")
    parser.add_argument("--spread", action="store_true", help="visitors go round all lessons instead")
    parser.add_argument("--modes", default="default,tuned")
    parser.add_argument("--cpus", default=None, help="cores for the server and its kernels (taskset), e.g. 0")
    parser.add_argument("--max-kernels", type=int, default=SETTINGS["max_kernels"].default,
                        help="the cap (the course's default)")
    parser.add_argument("--no-assets", dest="assets", action="store_false", help="skip the page's scripts and styles")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a visitor waits for its first widget")
    parser.add_argument("--port", type=int, default=8910)
    parser.add_argument("--open-files", type=int, default=None,
                        help="run the server under this open-files limit, soft and hard (as ulimit -n 1024 would)")
    parser.add_argument("--deadline", type=float, default=60.0, help="minutes after which the run stops")
    parser.add_argument("--extra", action="append", default=[], help="another option for the tuned server")
    args = parser.parse_args()
    args.crowds = [int(n) for n in args.crowds.split(",") if n.strip()]
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    args.gaps = [float(g) for g in args.gaps.split(",") if g.strip()]
    if args.cpus:
        server_cpus = {int(c) for c in args.cpus.split(",")}
        own = set(os.sched_getaffinity(0)) - server_cpus
        if own:
            os.sched_setaffinity(0, own)  # this script stays off the server's cores
        print(f"server on core(s) {sorted(server_cpus)}, this script on {sorted(own) or 'the same'}")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")

    with tempfile.TemporaryDirectory() as tmp:
        layout = CourseLayout(ROOT).copy_sources(Path(tmp))
        run(SELF_PACED, layout)
        args.logs = Path(tmp)
        lessons = [f"{lesson}/{lesson}.ipynb" for lesson in layout.lesson_ids]
        page = args.page if args.page.endswith(".ipynb") else f"{args.page}/{args.page}.ipynb"
        pages = lessons if args.spread else [page]
        asyncio.run(asyncio.wait_for(run_all(args, layout.self_paced, pages), args.deadline * 60))


if __name__ == "__main__":
    main()
