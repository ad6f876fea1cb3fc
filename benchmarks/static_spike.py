"""Spike: one lesson as a static site (Voici: Voila's page, Pyodide's Python in the visitor's browser),
built and opened offline. Prints whether it works, what the browser downloads, and how long it takes.

No server kernel at all: the page, Pyodide and every Python package are plain files, so a static
host (or a CDN) serves any number of visitors. Everything comes from package registries only:

* the build tools into their own venv (``--venv``): Voici 0.9's core, JupyterLite 0.6 and the Pyodide
  kernel 0.6.1 built with it (see TOOLS for why not the newest);
* Pyodide 0.27.6 itself from npm (``pyodide``: the interpreter and standard library, not its
  packages, which Pyodide's own release or CDN would serve);
* the packages the kernel loads at start-up, from PyPI at the versions Pyodide's lock file names
  (pure Python: micropip, IPython and what it needs, jedi), the lock rewritten for their hashes.
  ``ssl`` and ``sqlite3``, which the kernel loads at start, are compiled for WebAssembly and exist
  only in Pyodide's release: stand-ins take their place (an empty ``ssl``; a ``sqlite3`` that keeps
  nothing, for IPython's input history; nothing the lesson does needs either).
  PyYAML's wheel in Pyodide is compiled too: a pure-Python wheel made from its source replaces it;
* the lesson's own packages (ipywidgets, mistune, this course as a wheel) as JupyterLite's
  "piplite" wheels, installed by a first, hidden cell added to the copy of the notebook.

The site is served on 127.0.0.1 and opened in Debian's chromium; every request to any other host
is refused and listed.

    .venv/bin/python benchmarks/static_spike.py [--lesson 01-what-is-ot] [--work /tmp/static-spike]
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_lib.layout import CourseLayout  # noqa: E402
from course_lib.publish import SELF_PACED, run  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001
# Voici 0.10's page cannot load the Pyodide kernel 0.7 ("Shared module @jupyterlab/pluginmanager doesn't
# exist in shared scope default"), and Voici 0.10 alone brings only a kernel whose packages come from
# a conda channel; Voici 0.9 and the Pyodide kernel 0.6 were built for each other.
TOOLS = ["voici-core==0.9.0", "jupyterlite-core>=0.6,<0.7", "jupyterlite-pyodide-kernel==0.6.1",
         "jupyterlab_widgets==3.0.17"]
PYODIDE = "0.27.6"  # what jupyterlite-pyodide-kernel 0.6.1 is built for
KERNEL_NEEDS = ["micropip", "ssl", "sqlite3", "ipython", "jedi", "pyyaml"]  # the kernel's start, the lesson's YAML
LESSON_WHEELS = ["ipywidgets==8.1.9", "jupyterlab_widgets==3.0.17", "comm==0.2.3", "mistune==3.4.0"]
SETUP_CELL = """\
import os
os.environ["COURSE_READONLY"] = "1"  # as in the web view: nothing is saved
import piplite
await piplite.install(["ipywidgets", "mistune", "pyyaml"])
await piplite.install("ot-special-ed-course", deps=False)
"""
# IPython imports sqlite3 unconditionally for its input history. Pyodide builds sqlite3 for
# WebAssembly and ships it only in its own release (GitHub, jsDelivr), which this machine cannot
# reach; this stand-in is a database that keeps nothing, enough for IPython's history.
SQLITE3_STAND_IN = b"""\
PARSE_DECLTYPES, PARSE_COLNAMES = 1, 2
class Error(Exception): pass
class DatabaseError(Error): pass
class OperationalError(DatabaseError): pass
class IntegrityError(DatabaseError): pass
def register_converter(*a): pass
def register_adapter(*a): pass
class Cursor:
    lastrowid, rowcount = 1, 0
    def fetchone(self): return None
    def fetchall(self): return []
    def __iter__(self): return iter(())
class Connection:
    def execute(self, *a, **k): return Cursor()
    def executemany(self, *a, **k): return Cursor()
    def commit(self): pass
    def close(self): pass
    def __enter__(self): return self
    def __exit__(self, *a): return False
def connect(*a, **k): return Connection()
"""
STAND_INS = {"sqlite3": {"sqlite3/__init__.py": SQLITE3_STAND_IN}}
READY = ".course-question button"
CHROMIUM = {"executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]}


def sh(*cmd, **kwargs) -> str:
    return subprocess.run([str(c) for c in cmd], check=True, capture_output=True, text=True, **kwargs).stdout


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_wheel(folder: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A pure-Python wheel holding ``files`` (an empty one is a stand-in that only satisfies installers)."""
    dist = f"{name.replace('-', '_')}-{version}"
    entries = {**files,
               f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
               f"{dist}.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: static_spike\nRoot-Is-Purelib: true\n"
                                         b"Tag: py3-none-any\n"}
    record = []
    path = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for arc, data in entries.items():
            wheel.writestr(arc, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arc},sha256={digest},{len(data)}")
        wheel.writestr(f"{dist}.dist-info/RECORD", "\n".join([*record, f"{dist}.dist-info/RECORD,,"]) + "\n")
    return path


def tools_venv(venv: Path) -> Path:
    if not (venv / "bin" / "voici").exists():
        print(f"installing the build tools into {venv}")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        sh(venv / "bin" / "pip", "install", "-q", *TOOLS)
    return venv


def pyodide_dist(target: Path, pip: Path, scratch: Path) -> None:
    """Pyodide's interpreter from npm, and its start-up packages from PyPI, in ``target``."""
    sh("npm", "pack", f"pyodide@{PYODIDE}", "--silent", cwd=scratch)
    with tarfile.open(scratch / f"pyodide-{PYODIDE}.tgz") as tar:
        tar.extractall(scratch, filter="data")
    shutil.copytree(scratch / "package", target)
    lock_path = target / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    packages = lock["packages"]
    python = ".".join(lock["info"]["python"].split(".")[:2])
    wanted, todo = set(), list(KERNEL_NEEDS)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name not in wanted:
            wanted.add(name)
            if packages[name]["file_name"].endswith("none-any.whl"):
                todo += packages[name].get("depends", [])
    for name in sorted(wanted):
        entry = packages[name]
        if name == "pyyaml":
            wheel = pure_pyyaml(target, pip, scratch, entry["version"])
        elif entry["file_name"].endswith("none-any.whl"):
            got = scratch / name
            sh(pip, "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version", python,
               "--implementation", "py", "--abi", "none", "--platform", "any", "-d", got,
               f"{entry['name']}=={entry['version']}")
            wheel = next(got.glob("*.whl"))
            shutil.copy(wheel, target / wheel.name)
            wheel = target / wheel.name
        else:  # compiled for WebAssembly: only in Pyodide's own release
            print(f"  {name}: compiled for WebAssembly, not on PyPI or npm; a stand-in takes its place")
            wheel = make_wheel(target, name, entry["version"], STAND_INS.get(name, {}))
            entry.update(depends=[], package_type="package")
        entry.update(file_name=wheel.name, sha256=sha256(wheel))
    lock_path.write_text(json.dumps(lock))


def pure_pyyaml(target: Path, pip: Path, scratch: Path, version: str) -> Path:
    got = scratch / "pyyaml-src"
    sh(pip, "download", "-q", "--no-deps", "--no-binary=:all:", "-d", got, f"pyyaml=={version}")
    with tarfile.open(next(got.glob("*.tar.gz"))) as tar:
        tar.extractall(got, filter="data")
    source = next(got.glob("*/lib/yaml"))
    files = {f"yaml/{p.name}": p.read_bytes() for p in source.glob("*.py")}
    return make_wheel(target, "pyyaml", version, files)


def lesson_contents(files: Path, lesson: str) -> None:
    """The lesson's self-paced edition (course_lib), with a first cell that installs its packages."""
    with tempfile.TemporaryDirectory() as tmp:
        layout = CourseLayout(ROOT).copy_sources(Path(tmp))
        run(SELF_PACED, layout)
        shutil.copytree(layout.self_paced / lesson, files / lesson)
    notebook_path = files / lesson / f"{lesson}.ipynb"
    notebook = json.loads(notebook_path.read_text())
    notebook["cells"].insert(0, {"cell_type": "code", "execution_count": None, "id": "static-setup",
                                 "metadata": {"jupyter": {"source_hidden": True}}, "outputs": [],
                                 "source": SETUP_CELL.splitlines(keepends=True)})
    notebook["metadata"]["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    notebook_path.write_text(json.dumps(notebook))


def build(work: Path, venv: Path, lesson: str) -> Path:
    lite = work / "lite"
    if lite.exists():
        shutil.rmtree(lite)
    (lite / "static").mkdir(parents=True)
    scratch, wheels = work / "scratch", lite / "wheels"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    wheels.mkdir()
    pip = venv / "bin" / "pip"
    print("Pyodide from npm, its start-up packages from PyPI")
    pyodide_dist(lite / "static" / "pyodide", pip, scratch)
    print("the lesson's packages and the course as wheels")
    sh(pip, "download", "-q", "--no-deps", "--only-binary=:all:", "-d", wheels, *LESSON_WHEELS)
    sh(pip, "wheel", "-q", "--no-deps", "-w", wheels, ROOT)
    print("the lesson's self-paced edition")
    lesson_contents(lite / "files", lesson)
    (lite / "jupyter_lite_config.json").write_text(json.dumps({
        "LiteBuildConfig": {"contents": ["files"], "output_dir": "dist", "no_sourcemaps": True},
        "PipliteAddon": {"piplite_urls": [str(p) for p in sorted(wheels.glob("*.whl"))]}}))
    (lite / "jupyter-lite.json").write_text(json.dumps({"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}}}}))
    print("voici build")
    started = time.monotonic()
    sh(venv / "bin" / "voici", "build", "--contents", "files", "--output-dir", "dist", cwd=lite)
    dist = lite / "dist"
    root_relative(dist)
    size = sum(p.stat().st_size for p in dist.rglob("*") if p.is_file())
    print(f"  built in {time.monotonic() - started:.0f} s: {size / 2**20:.0f} MiB in "
          f"{sum(1 for p in dist.rglob('*') if p.is_file())} files")
    return dist


def root_relative(dist: Path) -> None:
    """The Pyodide kernel resolves ``./static/pyodide/...`` and ``./pypi/...`` against the page's own
    address, which for Voici's pages is ``/voici/render/<lesson>/``: make them start at the site's root."""
    for path in [*dist.glob("voici/render/**/*.html"), dist / "jupyter-lite.json"]:
        text = path.read_text()
        for prefix in ("static/pyodide/", "pypi/", "extensions/@jupyterlite/pyodide-kernel-extension/static/pypi/"):
            text = text.replace(f'"./{prefix}', f'"/{prefix}')
        path.write_text(text)


class Counting(http.server.SimpleHTTPRequestHandler):
    served = 0
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}

    def end_headers(self):
        # Cross-origin isolation lets the Pyodide kernel reach the page's files through
        # SharedArrayBuffer rather than through JupyterLite's service worker.
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        super().end_headers()

    def copyfile(self, source, outputfile):
        data = source.read()
        Counting.served += len(data)
        outputfile.write(data)

    def log_message(self, *args):
        pass


def serve(dist: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Counting, directory=str(dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def open_in_chromium(base: str, dist: Path, lesson: str, wait: float) -> None:
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(dist) for p in dist.rglob(f"{lesson}*.html"))
    if not pages:
        print(f"no page for {lesson} in the build")
        return
    url = f"{base}/{pages[0].as_posix()}"
    outside, errors = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**CHROMIUM)
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else (outside.append(route.request.url), route.abort()))
        for visit in ("first", "second"):
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            before, started = Counting.served, time.monotonic()
            page.goto(url)
            try:
                page.wait_for_selector(READY, state="visible", timeout=wait * 1000)
                result = f"first question's button on screen after {time.monotonic() - started:.1f} s"
            except Exception:  # noqa: BLE001 - any failure is the finding
                result = f"no question's button within {wait:.0f} s"
            page.wait_for_timeout(1000)
            print(f"{visit} visit of {url}: {result}; {(Counting.served - before) / 2**20:.1f} MiB from the server")
            if visit == "first":
                page.screenshot(path=str(dist.parent / "first-visit.png"), full_page=False)
                clicked = try_a_question(page)
                print(f"  a practice question answered in the page: {clicked}")
            page.close()
        browser.close()
    print(f"requests to other hosts (refused): {len(outside)}" + "".join(f"\n  {u}" for u in sorted(set(outside))[:10]))
    if errors:
        print("console errors:" + "".join(f"\n  {e[:200]}" for e in errors[:10]))


def try_a_question(page) -> str:
    """Picks the first option of the first practice question and presses its button."""
    try:
        question = page.locator(".course-question").first
        question.locator("input[type=radio], input[type=checkbox]").first.check(timeout=5000)
        question.locator("button").first.click(timeout=5000)
        page.wait_for_timeout(3000)
        return "feedback shown: " + question.inner_text(timeout=5000).strip().splitlines()[-1][:100]
    except Exception as error:  # noqa: BLE001
        return f"could not ({type(error).__name__})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lesson", default="01-what-is-ot")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "static-spike")
    parser.add_argument("--venv", type=Path, default=None, help="the build tools' venv (default: WORK/venv)")
    parser.add_argument("--wait", type=float, default=180.0, help="seconds to wait for the lesson in the browser")
    parser.add_argument("--no-build", dest="build", action="store_false", help="open the last build again")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    venv = tools_venv(args.venv or args.work / "venv")
    dist = build(args.work, venv, args.lesson) if args.build else args.work / "lite" / "dist"
    root_relative(dist)
    server, base = serve(dist)
    try:
        open_in_chromium(base, dist, args.lesson, args.wait)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
