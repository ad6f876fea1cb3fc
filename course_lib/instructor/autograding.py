"""Autograde a whole class: every hand-in graded or reported, on every core, within a time budget.

Steps: find the hand-ins and their problems (:mod:`.handins`); leave out those already graded and
unchanged since (unless ``force``); make a clean copy of each; grade the copies with nbgrader on
two workers per core (:mod:`.worker`), each hand-in with a time budget, a line of progress as each
one finishes; keep a record of every hand-in (``grading/handins.json``, one per gradebook) for the
grades export.

"Unchanged" is checked, not assumed: the gradebook in use holds the hand-in's grade, and its graded
copy came whole from the clean intake (:func:`.intake.unclean`), so a grade made by another door
without the intake, or in another gradebook, is graded again.

One bad hand-in never stops the others: a hand-in that nbgrader cannot grade, or that runs over
its budget, is stopped, recorded as failed with the reason, and the rest go on. A gradebook that
stops answering stops the run, with one line that says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..files import atomic_write
from ..layout import CourseLayout
from . import gradebook
from .handins import HandIn, find_handins, take_in
from .intake import unclean

RECORD = "handins.json"
DEFAULT_BUDGET = 60.0  # seconds a hand-in may take, start to finish
MAX_WORKERS = 16  # on a large machine the gradebook's writers, not the cores, are the limit


def default_workers() -> int:
    """Two workers per core: a hand-in spends about a third of its time waiting (its kernel
    starting, messages between them), so one per core leaves the cores idle that long
    (benchmarks/autograde.py: 40 hand-ins on 2 cores, 1.6x faster than one worker with 2, 2.0x with 4)."""
    return max(1, min(2 * (os.cpu_count() or 1), MAX_WORKERS))


@dataclass
class Outcome:
    handin: HandIn
    status: str  # graded | failed | not graded | unchanged
    seconds: float = 0.0
    detail: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.handin.problems or o.status == "failed"]


def record_path(layout: CourseLayout) -> Path:
    return layout.grading / RECORD


def _records(layout: CourseLayout) -> dict[str, dict]:
    """Every gradebook's record: ``{gradebook: {"<learner>/<folder>": {...}}}``."""
    try:
        data = json.loads(record_path(layout).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    books = data.get("gradebooks") if isinstance(data, dict) else None
    return books if isinstance(books, dict) else {}


def _book(layout: CourseLayout, url: str | None = None) -> str:
    """A gradebook's name in the record (an SQLite file in the course's folder by its name there,
    so the record survives the course folder being moved)."""
    where = gradebook.where(url or gradebook.db_url(layout))
    inside = Path(where).is_absolute() and layout.grading.resolve() in Path(where).resolve().parents
    return str(Path(where).resolve().relative_to(layout.grading.resolve())) if inside else where


def read_record(layout: CourseLayout) -> dict[str, dict]:
    """The record of the gradebook in use (each gradebook has its own: moving to another one means
    grading again into it, or moving the grades with it, ``course gradebook move-to``)."""
    return _records(layout).get(_book(layout), {})


def write_record(layout: CourseLayout, record: dict[str, dict], url: str | None = None) -> None:
    books = _records(layout)
    books[_book(layout, url)] = record
    atomic_write(record_path(layout), json.dumps({"format": 2, "gradebooks": books}, indent=1, sort_keys=True,
                                                 ensure_ascii=False))


def autograde(layout: CourseLayout, *, force: bool = False, learners: list[str] | None = None,
              lessons: list[str] | None = None, workers: int | None = None, budget: float = DEFAULT_BUDGET,
              say: Callable[[str], None] = print) -> Report:
    started = time.monotonic()
    gradebook.prepare_for_several_writers(layout)
    n_workers = max(1, workers or default_workers())
    pool = [_Worker(layout) for _ in range(min(n_workers, _folders(layout)))]  # they load while we look
    handins = [h for h in find_handins(layout, set(gradebook.roster(layout)))
               if (not learners or h.learner in learners) and (not lessons or h.lesson in lessons)]
    record = read_record(layout)
    in_gradebook = gradebook.submissions(layout)
    report = Report(workers=n_workers)
    todo = []
    for h in handins:
        before = record.get(h.key, {})
        same = (before.get("status") == "graded" and before.get("fingerprint") == h.fingerprint and not force
                and (h.learner, h.lesson) in in_gradebook)
        why = unclean(layout, h.learner, h.lesson) if same and h.gradable else ""
        if not h.gradable:
            report.outcomes.append(Outcome(h, "not graded"))
        elif same and not why:
            report.outcomes.append(Outcome(h, "unchanged", detail=before.get("graded_at", "")))
        else:
            if why:
                h.note(f"graded again: the grade it had could not be trusted ({why}; it was autograded another way, "
                       "or stopped part way)", suspicious="files" in why or "cells" in why)
            take_in(layout, h)
            todo.append(h)
    say(f"{len(handins)} hand-in(s) found: {len(todo)} to grade on {min(report.workers, max(1, len(todo)))} "
        f"worker(s), {report.count('unchanged')} unchanged since last graded"
        + (" (use --force to grade them again)" if report.count("unchanged") else "")
        + (f", {report.count('not graded')} with a problem that stops grading" if report.count("not graded") else ""))
    report.outcomes += _grade_all(layout, todo, pool, budget, say)
    report.seconds = time.monotonic() - started
    _keep_record(layout, record, report)
    return report


def _folders(layout: CourseLayout) -> int:
    """How many hand-in folders there are at most (so no worker is started for nothing)."""
    return sum(1 for _ in layout.submitted.glob("*/*")) if layout.submitted.is_dir() else 0


def _grade_all(layout, todo: list[HandIn], pool: list[_Worker], budget: float, say) -> list[Outcome]:
    if not todo:
        for worker in pool:
            worker.stop()
        return []
    jobs: queue.Queue[HandIn] = queue.Queue()
    for h in todo:
        jobs.put(h)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    began = time.monotonic()
    stopped: list[str] = []  # why the gradebook stopped answering, once it has

    def done(outcome: Outcome) -> None:
        with lock:
            outcomes.append(outcome)
            n, total = len(outcomes), len(todo)
            per = (time.monotonic() - began) / n
            left = per * (total - n)
            eta = f" · about {left:.0f} s left" if total > n else ""
            score = f": {outcome.detail}" if outcome.detail else ""
            with contextlib.suppress(OSError):  # output gone (piped to head, a closed terminal): grading goes on
                say(f"[{n}/{total}] {outcome.handin.learner} · {outcome.handin.lesson} {outcome.status}{score} "
                    f"({outcome.seconds:.1f} s){eta}")

    for extra in pool[len(todo):]:
        extra.stop()
    threads = [threading.Thread(target=_work, args=(layout, worker, jobs, budget, done, stopped),
                                daemon=True) for worker in pool[:len(todo)]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if stopped:
        where = gradebook.where(gradebook.db_url(layout))
        while not jobs.empty():
            handin = jobs.get_nowait()
            handin.problems.append(f"not graded: the gradebook at {where} stopped answering ({stopped[0]}); start "
                                   "it again and run course autograde (what was graded is kept)")
            outcomes.append(Outcome(handin, "not graded"))
        say(f"The gradebook at {where} stopped answering during the run ({stopped[0]}): "
            f"{sum(o.status == 'not graded' for o in outcomes)} hand-in(s) were not graded.")
    return outcomes


class _Worker:
    """A worker process (its own process group, so its kernels stop with it)."""

    def __init__(self, layout: CourseLayout):
        env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
        self.proc = subprocess.Popen([sys.executable, "-m", "course_lib.instructor.worker", str(layout.grading)],
                                     cwd=layout.grading, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        self._ready: bool | None = None
        self.unreachable = ""  # why the gradebook did not answer it, if it did not

    @property
    def ready(self) -> bool:
        """Whether the worker has loaded nbgrader (waited for the first time it is asked)."""
        if self._ready is None:
            hello = self._read(120) or {}
            self.unreachable = hello.get("unreachable") or ""
            self._ready = bool(hello.get("ready"))
        return self._ready

    def grade(self, handin: HandIn, budget: float) -> dict | None:
        try:
            self.proc.stdin.write(json.dumps({"lesson": handin.lesson, "learner": handin.learner}) + "\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):
            return None  # the worker had died while it waited
        return self._read(budget)

    def _read(self, seconds: float) -> dict | None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                break
            line = self.proc.stdout.readline()
            if not line:
                return None  # the worker died
            try:
                return json.loads(line)
            except ValueError:
                continue  # a stray line on stdout
        return None

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def _work(layout: CourseLayout, worker: _Worker | None, jobs: queue.Queue, budget: float, done,
          stopped: list[str]) -> None:
    try:
        while not stopped:
            try:
                handin = jobs.get_nowait()
            except queue.Empty:
                return
            started = time.monotonic()
            for _attempt in (1, 2):  # a worker that died or a grading that failed of itself: one more try
                if worker is None:
                    worker = _Worker(layout)
                result = worker.grade(handin, budget) if worker.ready else (
                    {"unreachable": worker.unreachable} if worker.unreachable else None)
                seconds = time.monotonic() - started
                over_budget = seconds >= budget - 0.5
                if result is None:
                    worker.stop()
                    worker = None
                if (result and (result.get("ok") or result.get("unreachable"))) or over_budget:
                    break
            if result and result.get("unreachable"):
                stopped.append(result["unreachable"])
                handin.problems.append("not graded: the gradebook stopped answering")
                done(Outcome(handin, "not graded", seconds))
            elif result is None:
                why = (f"stopped after {budget:g} s (its time budget): grade it alone with course autograde "
                       f"--learner {shlex.quote(handin.learner)} --lesson {handin.lesson}, or raise --time-budget"
                       if over_budget else "the grading process stopped unexpectedly")
                handin.problems.append(f"could not be graded: {why}")
                done(Outcome(handin, "failed", seconds))
            elif not result.get("ok"):
                handin.problems.append("nbgrader could not grade it: " + _last_line(result.get("error", "")))
                done(Outcome(handin, "failed", seconds))
            else:
                got, most = result.get("points", (None, None))
                done(Outcome(handin, "graded", seconds, f"{got:g} of {most:g} automatic points" if most else ""))
    finally:
        if worker is not None:
            worker.stop()


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "no reason given"


def _keep_record(layout: CourseLayout, record: dict, report: Report) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for o in report.outcomes:
        h = o.handin
        if o.status == "unchanged":
            continue
        record[h.key] = {"lesson": h.lesson, "copy": h.is_copy, "status": o.status, "problems": h.problems,
                         "suspicious": h.suspicious, "handed_in": h.handed_in,
                         "fingerprint": h.fingerprint if o.status == "graded" else "",
                         "graded_at": now if o.status == "graded" else record.get(h.key, {}).get("graded_at", ""),
                         "seconds": round(o.seconds, 2)}
    write_record(layout, record)
