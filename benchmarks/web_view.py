"""How fast and how heavy the read-only web view is. Prints figures; asserts nothing.

For Voila's default configuration and the course's tuned one (`course_lib/web/tuned`), in one
run: the time from navigation to the first interactive widget of every lesson, cold (a new
browser, the lesson's first visit since the server started) and warm (later visits, browser
cache warm); the memory one visitor's kernel costs; and how many visitors arriving at once the
tuned view serves with the 95th-percentile time to first widget under 3 s, new visitors and
returning ones. Also the time an ``import course_lib`` costs every kernel. Everything runs on
127.0.0.1 with Debian's chromium, which shares the machine's two cores with the server: with
several pages at once, most of the time goes to the browsers starting Voila's front end.

    .venv/bin/python benchmarks/web_view.py [--visits 3] [--max-visitors 16]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import math
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_lib.layout import CourseLayout  # noqa: E402
from course_lib.publish import SELF_PACED, run  # noqa: E402
from course_lib.web import voila_command  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they are measured
READY = ".course-question button"
# Notes, inside the page, when the first question's button is on screen: Playwright's own
# polling backs off to 500 ms between looks, which would add up to half a second of its own.
WATCH_FIRST_WIDGET = """
new MutationObserver((_, observer) => {
  const b = document.querySelector('.course-question button');
  if (b && b.offsetParent) { window.__firstWidget = performance.now(); observer.disconnect(); }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
CHROMIUM = {"executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]}


def import_time(runs: int = 5) -> float:
    code = "import time; t = time.perf_counter(); import course_lib; print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.check_output([sys.executable, "-c", code], cwd="/"))
                             for _ in range(runs))


def kernel_rss_mib(server: subprocess.Popen) -> list[float]:
    """Resident memory of each kernel the server started (its child processes), in MiB."""
    out = subprocess.run(["ps", "--ppid", str(server.pid), "-o", "rss=,args="], capture_output=True, text=True).stdout
    return [int(line.split()[0]) / 1024 for line in out.splitlines() if "ipykernel" in line]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Server:
    def __init__(self, release: Path, port: int, tuned: bool, settle: float):
        cmd, env = voila_command(release, port, tuned=tuned)
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        start = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2)
                break
            except OSError:
                if time.monotonic() - start > 90:
                    raise SystemExit("Voila did not start") from None
                time.sleep(0.2)
        self.up = time.monotonic() - start
        time.sleep(settle)  # the tuned server fills its kernel pool now; both modes wait alike

    def url(self, lesson: str) -> str:
        return f"{self.base}/voila/render/{lesson}/{lesson}.ipynb"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def first_widget(context, url: str, cache: list | None = None) -> float:
    """Seconds from the start of navigation to the first question's button on screen."""
    page = await context.new_page()
    await page.add_init_script(WATCH_FIRST_WIDGET)
    if cache is not None:  # which requests of this visit the browser's cache answered
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        seen: dict[str, bool] = {}
        cache.append(seen)
        cdp.on("Network.requestWillBeSent", lambda e: seen.setdefault(e["requestId"], False))
        cdp.on("Network.requestServedFromCache", lambda e: seen.__setitem__(e["requestId"], True))
        cdp.on("Network.responseReceived", lambda e: seen.__setitem__(e["requestId"], seen.get(e["requestId"])
               or bool(e["response"].get("fromDiskCache") or e["response"].get("fromMemoryCache"))))
    await page.goto(url, wait_until="commit")
    try:
        await page.wait_for_selector(READY, state="visible", timeout=60_000)
        elapsed = await page.evaluate("window.__firstWidget") / 1000
    except PlaywrightTimeout:
        elapsed = math.inf  # a page that never became usable is counted, not hidden
    await page.close(run_before_unload=True)  # as a closed tab does: the kernel is shut down
    return elapsed


async def page_times(browser, server: Server, lessons: list[str], visits: int, refill: float,
                     cache: list) -> dict:
    times = {}
    for lesson in lessons:
        context = await browser.new_context()  # empty cache: a new visitor
        cold = await first_widget(context, server.url(lesson))
        warm = []
        for _ in range(visits):
            await asyncio.sleep(refill)  # give the pool time to replace the kernel just used
            warm.append(await first_widget(context, server.url(lesson), cache))
        await context.close()
        times[lesson] = (cold, warm)
    return times


async def crowd(browser, server: Server, lessons: list[str], visitors: int, returning: bool) -> list[float]:
    """``visitors`` visitors open lessons (round robin) at the same moment. Returning visitors
    have seen the course home before, so their browsers hold Voila's front end already."""
    contexts = [await browser.new_context() for _ in range(visitors)]
    try:
        for c in contexts if returning else ():
            page = await c.new_page()
            await page.goto(server.base + "/", wait_until="networkidle")
            await page.close(run_before_unload=True)
        return list(await asyncio.gather(*(first_widget(c, server.url(lessons[i % len(lessons)]))
                                           for i, c in enumerate(contexts))))
    finally:
        for c in contexts:
            await c.close()


async def crowds(browser, server: Server, lessons: list[str], args) -> None:
    """Doubles the visitors arriving at once until the 95th-percentile time reaches 3 s."""
    for returning in (False, True):
        print(f"  {'returning' if returning else 'new'} visitors arriving at once (tuned): time to first widget")
        visitors = 1
        while visitors <= args.max_visitors:
            await asyncio.sleep(args.settle)  # let the pool refill between rounds
            got = await crowd(browser, server, lessons, visitors, returning)
            stuck = sum(t == math.inf for t in got)
            print(f"    {visitors:3d} visitors: p95 {p95(got):5.2f} s, median {statistics.median(got):5.2f}"
                  f" s, max {max(got):5.2f} s" + (f", {stuck} showed no widget within 60 s" if stuck else ""))
            if p95(got) >= 3.0:
                break
            visitors *= 2


async def run_all(args, release: Path, lessons: list[str]) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**CHROMIUM)
        results = {}
        for name, tuned in (("default", False), ("tuned", True)):
            server = Server(release, args.port, tuned, args.settle)
            try:
                print(f"\n{name}: server up in {server.up:.2f} s")
                cache: list[dict] = []
                results[name] = await page_times(browser, server, lessons, args.visits, args.refill, cache)
                for lesson, (cold, warm) in results[name].items():
                    print(f"  {lesson:32} cold {cold:5.2f} s   warm median {statistics.median(warm):5.2f} s "
                          f"(min {min(warm):.2f}, max {max(warm):.2f}, n={len(warm)})")
                hits = [sum(v.values()) for v in cache]
                total = [len(v) for v in cache]
                print(f"  warm visits: median {statistics.median(hits):.0f} of {statistics.median(total):.0f} requests"
                      " answered by the browser's cache")
                kernels = kernel_rss_mib(server.proc)
                if kernels:
                    print(f"  kernel memory: median {statistics.median(kernels):.0f} MiB RSS per kernel "
                          f"({len(kernels)} kernels running, {sum(kernels):.0f} MiB in all)")
                if tuned:
                    await crowds(browser, server, lessons, args)
            finally:
                server.stop()
        await browser.close()

    def summary(name: str, pick) -> float:
        return statistics.median(pick(cold, warm) for cold, warm in results[name].values())

    print("\nsummary (median over lessons)")
    for label, pick in (("cold", lambda c, w: c), ("warm", lambda c, w: statistics.median(w))):
        d, t = summary("default", pick), summary("tuned", pick)
        print(f"  {label}: default {d:.2f} s, tuned {t:.2f} s, tuned is {d / t:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=3, help="warm visits per lesson and mode")
    parser.add_argument("--refill", type=float, default=4.0, help="seconds between visits")
    parser.add_argument("--settle", type=float, default=30.0, help="seconds after start-up before measuring")
    parser.add_argument("--max-visitors", type=int, default=16)
    parser.add_argument("--port", type=int, default=8899)
    args = parser.parse_args()

    print(f"import course_lib: {import_time() * 1000:.0f} ms (median of 5 fresh interpreters)")
    with tempfile.TemporaryDirectory() as tmp:
        layout = CourseLayout(ROOT).copy_sources(Path(tmp))
        run(SELF_PACED, layout)
        asyncio.run(run_all(args, layout.self_paced, layout.lesson_ids))


if __name__ == "__main__":
    main()
