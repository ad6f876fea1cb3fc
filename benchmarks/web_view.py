"""How fast and how heavy the read-only web view is. Prints figures; asserts nothing.

For Voila's default configuration and for the course's tuned one (preheated kernels), in one
run: the time from navigation to the first interactive widget of every lesson, cold (a new
browser, the lesson's first visit since the server started) and warm (later visits, browser
cache warm); the memory one visitor's kernel costs; and how many visitors arriving at once the
tuned view serves with the 95th-percentile time to first widget under 3 s. Also the time an
``import course_lib`` costs every kernel. Everything runs on 127.0.0.1 with Debian's chromium.

    .venv/bin/python benchmarks/web_view.py [--visits 3] [--max-visitors 16]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_lib import instructor  # noqa: E402
from course_lib.instructor import Course  # noqa: E402
from course_lib.web import voila_command  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they are measured
READY = ".course-question button"
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


async def first_widget(context, url: str) -> float:
    page = await context.new_page()
    start = time.monotonic()
    await page.goto(url, wait_until="commit")
    await page.wait_for_selector(READY, state="visible", timeout=120_000)
    elapsed = time.monotonic() - start
    await page.close(run_before_unload=True)  # as a closed tab does: Voila shuts the kernel down
    return elapsed


async def page_times(browser, server: Server, lessons: list[str], visits: int, refill: float) -> dict:
    times = {}
    for lesson in lessons:
        context = await browser.new_context()  # empty cache: a new visitor
        cold = await first_widget(context, server.url(lesson))
        warm = []
        for _ in range(visits):
            await asyncio.sleep(refill)  # give the pool time to replace the kernel just used
            warm.append(await first_widget(context, server.url(lesson)))
        await context.close()
        times[lesson] = (cold, warm)
    return times


async def crowd(browser, server: Server, lessons: list[str], visitors: int) -> list[float]:
    """``visitors`` new visitors open lessons (round robin) at the same moment."""
    contexts = [await browser.new_context() for _ in range(visitors)]
    try:
        return list(await asyncio.gather(*(first_widget(c, server.url(lessons[i % len(lessons)]))
                                           for i, c in enumerate(contexts))))
    finally:
        for c in contexts:
            await c.close()


async def run(args, release: Path, lessons: list[str]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**CHROMIUM)
        results = {}
        for name, tuned in (("default", False), ("tuned", True)):
            server = Server(release, args.port, tuned, args.settle)
            try:
                print(f"\n{name}: server up in {server.up:.2f} s")
                results[name] = await page_times(browser, server, lessons, args.visits, args.refill)
                for lesson, (cold, warm) in results[name].items():
                    print(f"  {lesson:32} cold {cold:5.2f} s   warm median {statistics.median(warm):5.2f} s "
                          f"(min {min(warm):.2f}, max {max(warm):.2f}, n={len(warm)})")
                kernels = kernel_rss_mib(server.proc)
                if kernels:
                    print(f"  kernel memory: median {statistics.median(kernels):.0f} MiB RSS per kernel "
                          f"({len(kernels)} kernels running, {sum(kernels):.0f} MiB in all)")
                if tuned:
                    await asyncio.sleep(args.settle)
                    print("  visitors arriving at once (tuned): time to first widget")
                    visitors = 1
                    while visitors <= args.max_visitors:
                        got = await crowd(browser, server, lessons, visitors)
                        print(f"    {visitors:3d} visitors: p95 {p95(got):5.2f} s, median {statistics.median(got):5.2f}"
                              f" s, max {max(got):5.2f} s")
                        if p95(got) >= 3.0:
                            break
                        visitors *= 2
                        await asyncio.sleep(args.settle)  # let the pool refill between rounds
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
        root = Path(tmp)
        shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("my-answers*"))
        shutil.copytree(ROOT / "assets", root / "assets")
        (root / "grading").mkdir()
        shutil.copy(ROOT / "grading" / "nbgrader_config.py", root / "grading")
        course = Course(root)
        lessons = instructor.release(course)
        asyncio.run(run(args, course.release, lessons))


if __name__ == "__main__":
    main()
