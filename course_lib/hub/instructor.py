"""The instructor's page of a cohort on the hub: the class's steps as buttons, beside nbgrader's formgrader.

The hub runs ``python -m course_lib.hub.instructor`` as the service ``<cohort>`` (as the cohort's
grader account when it runs as root), in the cohort's ``grading/`` folder, as nbgrader's multi-class
demo runs formgrader: a Jupyter server with nbgrader's formgrader (``/services/<cohort>/formgrader``)
and JupyterLab with a terminal (the ``course`` commands) for the cohort's instructors only. This module
adds, as a server extension, ``/services/<cohort>/course/class``: each lesson with who has it, who
handed it in (and who handed it in again after it was collected: "late, not collected yet"), and a
button for each step. Each button runs the same command an instructor would type (``nbgrader
release_assignment``, ``nbgrader collect --update``, ``course autograde``, ``course feedback`` with
``nbgrader release_feedback``, ``course grades``), one at a time, and shows what it said.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..files import atomic_write
from ..layout import COURSE_HOME, CourseLayout
from ..publish.nbgrader import nbgrader_env

HERE = Path(__file__).resolve().parent
SERVER_CONFIG = HERE / "jupyter" / "instructor"
PAGE = "/course/class"
RECORD = "hub-record.json"  # grading/hub-record.json: when each lesson was released, collected, returned
STEP_SECONDS = 900


@dataclass
class LessonState:
    lesson: str
    released: bool = False
    handed_in: dict[str, str] = field(default_factory=dict)  # learner -> latest hand-in time (exchange)
    collected: dict[str, str] = field(default_factory=dict)  # learner -> time of the hand-in collected
    graded: set[str] = field(default_factory=set)

    @property
    def late(self) -> list[str]:
        """Learners who handed in again (or first) after the last collection: waiting for "Collect" again."""
        return sorted(n for n, t in self.handed_in.items() if self.collected and t > self.collected.get(n, ""))


def class_state(layout: CourseLayout, course_id: str, exchange: Path) -> list[LessonState]:
    outbound, inbound = exchange / course_id / "outbound", exchange / course_id / "inbound"
    try:
        submissions = [p.name.split("+") for p in inbound.iterdir()]
    except OSError:
        submissions = []
    states = []
    for lesson in layout.lesson_ids:
        state = LessonState(lesson, (outbound / lesson).is_dir())
        for parts in submissions:
            if len(parts) >= 3 and parts[1] == lesson and parts[2] > state.handed_in.get(parts[0], ""):
                state.handed_in[parts[0]] = parts[2]
        for stamp in layout.submitted.glob(f"*/{lesson}/timestamp.txt"):
            try:
                state.collected[stamp.parent.parent.name] = stamp.read_text(encoding="utf-8").strip()
            except OSError:
                continue
        state.graded = {p.parent.name for p in layout.autograded.glob(f"*/{lesson}") if p.is_dir()}
        states.append(state)
    return states


def steps(layout: CourseLayout, action: str, lesson: str, outbound: Path) -> list[list[str]]:
    """The commands one button runs, as an instructor would type them in ``grading/``."""
    course = [sys.executable, "-m", "course_lib", "--root", str(layout.root)]
    nbgrader = [sys.executable, "-m", "nbgrader"]
    if action == "release":
        made = (layout.release / lesson).is_dir() and (layout.release / COURSE_HOME).is_dir()
        home = [] if (outbound / COURSE_HOME).is_dir() else [[*nbgrader, "release_assignment", COURSE_HOME]]
        return [*([] if made else [[*course, "release"]]), *home,
                [*nbgrader, "release_assignment", lesson, "--force"]]
    if action == "collect":
        return [[*nbgrader, "collect", "--update", lesson]]
    if action == "autograde":
        return [[*course, "autograde", "--lesson", lesson]]
    if action == "return":
        return [[*course, "feedback", "--lesson", lesson], [*nbgrader, "release_feedback", lesson]]
    if action == "grades":
        return [[*course, "grades"]]
    raise ValueError(action)


ACTIONS = {"release": "Give out", "collect": "Collect hand-ins", "autograde": "Grade hand-ins",
           "return": "Return feedback", "grades": "Export grades"}


def _record(layout: CourseLayout) -> dict:
    try:
        data = json.loads((layout.grading / RECORD).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def note_done(layout: CourseLayout, action: str, lesson: str) -> None:
    data = _record(layout)
    data.setdefault(lesson, {})[action] = time.strftime("%Y-%m-%d %H:%M")
    atomic_write(layout.grading / RECORD, json.dumps(data, indent=1))


async def run_step(layout: CourseLayout, action: str, lesson: str, outbound: Path) -> tuple[bool, str]:
    said = []
    for cmd in steps(layout, action, lesson, outbound):
        proc = await asyncio.create_subprocess_exec(*cmd, cwd=layout.grading, env=nbgrader_env(),
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), STEP_SECONDS)
        except TimeoutError:
            proc.kill()
            return False, "\n".join([*said, f"Stopped after {STEP_SECONDS // 60} minutes."])
        said.append(out.decode("utf-8", "replace").strip())
        print(f"[course] {' '.join(cmd[1:])}: exit code {proc.returncode}\n{said[-1]}", file=sys.stderr, flush=True)
        if proc.returncode not in (0, 2):  # course autograde: 2 = some hand-ins not graded (named above)
            return False, "\n".join(said)
    note_done(layout, action, lesson)
    return True, "\n".join(s for s in said if s)


def render(layout: CourseLayout, course_id: str, exchange: Path, xsrf: str, base: str,
           message: tuple[bool, str] | None = None) -> str:
    record = _record(layout)
    rows = []
    for s in class_state(layout, course_id, exchange):
        done = record.get(s.lesson, {})
        status = [("Given out" if s.released else "Not given out yet")]
        if s.handed_in:
            status.append(f"{len(s.handed_in)} handed in")
        if s.collected:
            status.append(f"{len(s.collected)} collected")
        if s.graded:
            status.append(f"{len(s.graded)} graded")
        if "return" in done:
            status.append(f"feedback returned {done['return']}")
        late = (f"<p class='late'>Handed in after you collected (late, not collected yet): "
                f"{escape(', '.join(s.late))}. Press <strong>Collect hand-ins</strong> again to include them.</p>"
                if s.late else "")
        who = "".join(f"<li>{escape(n)}: {escape(t)}</li>" for n, t in sorted(s.handed_in.items()))
        who = f"<details><summary>Who handed it in, and when</summary><ul>{who}</ul></details>" if who else ""
        buttons = "".join(
            f"<button name='action' value='{a}'>{escape(ACTIONS[a])}</button>"
            for a in ("release", "collect", "autograde", "return") if a == "release" or s.released)
        rows.append(f"<section><h2>{escape(s.lesson)}</h2><p>{escape(' · '.join(status))}</p>{late}"
                    f"{who}"
                    f"<form method='post'><input type='hidden' name='_xsrf' value='{escape(xsrf)}'>"
                    f"<input type='hidden' name='lesson' value='{escape(s.lesson)}'>{buttons}</form></section>")
    said = ""
    if message:
        ok, text = message
        said = (f"<div role='status' class='{'ok' if ok else 'problem'}'><p>{'Done.' if ok else 'That did not finish.'}"
                f"</p><pre>{escape(text[-6000:])}</pre></div>")
    grades = layout.grades_csv
    download = (f"<p><a href='{escape(base)}files/{escape(grades.name)}' download>Download grades.csv</a></p>"
                if grades.is_file() else "")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Class: {escape(course_id)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;
color:#1a1a1a}} section{{border-top:1px solid #bbb;padding:.4rem 0}} button{{margin:.2rem .4rem .2rem 0;
padding:.4rem .8rem;font-size:1rem}} .late{{color:#7a3d00}} .problem{{border-left:4px solid #b00020;padding-left:.6rem}}
.ok{{border-left:4px solid #1b5e20;padding-left:.6rem}} pre{{white-space:pre-wrap;font-size:.85rem}}</style></head>
<body><main><h1>Class: {escape(course_id)}</h1>{said}
<p>Each lesson's steps, in order: <strong>Give out</strong> (learners find it in their folder by themselves),
<strong>Collect hand-ins</strong>, <strong>Grade hand-ins</strong>, then grade the written reflections in
<a href="{escape(base)}formgrader">Formgrader</a>, then <strong>Return feedback</strong>. A button runs the
same command you would type in a terminal, and may take a minute.</p>
<form method="post"><input type="hidden" name="_xsrf" value="{escape(xsrf)}"><input type="hidden" name="lesson"
value=""><button name="action" value="grades">Export grades</button></form>{download}
{''.join(rows)}</main></body></html>"""


def main() -> None:
    root = Path.cwd().resolve()
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in (str(SERVER_CONFIG), env.get("JUPYTER_CONFIG_PATH")) if p)
    cmd = [sys.executable, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={root}",
           f"--ServerApp.default_url={PAGE}"]
    os.execve(cmd[0], cmd, env)


def _jupyter_server_extension_points():
    return [{"module": "course_lib.hub.instructor"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web

    layout = CourseLayout(Path(serverapp.root_dir).resolve().parent)
    course_id = os.environ.get("COURSE_HUB_COURSE", "")
    exchange = Path(os.environ.get("COURSE_HUB_EXCHANGE", "/srv/nbgrader/exchange"))
    busy = asyncio.Lock()

    class ClassPage(JupyterHandler):
        def page(self, message=None) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(render(layout, course_id, exchange, self.xsrf_token.decode(), self.base_url, message))

        @web.authenticated
        def get(self) -> None:
            self.page()

        @web.authenticated
        async def post(self) -> None:
            action, lesson = self.get_body_argument("action", ""), self.get_body_argument("lesson", "")
            if action not in ACTIONS or (action != "grades" and lesson not in layout.lesson_ids):
                raise web.HTTPError(400, "Unknown step or lesson.")
            if busy.locked():
                self.page((False, "Another step is running; wait for it to finish, then press the button again."))
                return
            async with busy:
                self.page(await run_step(layout, action, lesson, exchange / course_id / "outbound"))

    serverapp.web_app.add_handlers(".*$", [(url_path_join(serverapp.base_url, PAGE), ClassPage)])


if __name__ == "__main__":
    main()
