"""Time from navigation to the first interactive widget in the read-only web view.

Prints figures; asserts nothing. Starts its own Voila on 127.0.0.1 (a fresh release of the
course in a temporary folder) and drives Debian's chromium with Playwright.

    .venv/bin/python benchmarks/first_widget.py [--visits 5]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=5, help="page loads per lesson after the first")
    parser.add_argument("--port", type=int, default=8899)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("my-answers*"))
        (root / "grading").mkdir()
        shutil.copy(ROOT / "grading" / "nbgrader_config.py", root / "grading")
        course = Course(root)
        lessons = instructor.release(course)
        cmd, env = voila_command(course.release, args.port)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{args.port}"
            t0 = time.monotonic()
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=2)
                    break
                except OSError:
                    if time.monotonic() - t0 > 60:
                        raise SystemExit("Voila did not start") from None
                    time.sleep(0.2)
            print(f"voila server up in {time.monotonic() - t0:.2f} s")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu",
                                                   "--disable-background-networking"])
                for lesson in lessons:
                    url = f"{base}/voila/render/{lesson}/{lesson}.ipynb"
                    times = []
                    for _ in range(args.visits + 1):
                        page = browser.new_page()
                        start = time.monotonic()
                        page.goto(url, wait_until="commit")
                        page.wait_for_selector(".course-question button", state="visible", timeout=120_000)
                        times.append(time.monotonic() - start)
                        page.close()
                    warm = times[1:]
                    print(f"{lesson}: first widget cold {times[0]:.2f} s; later visits median "
                          f"{statistics.median(warm):.2f} s (min {min(warm):.2f}, max {max(warm):.2f}, n={len(warm)})")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
