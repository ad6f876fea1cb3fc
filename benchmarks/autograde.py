"""How fast a class is graded, and where a hand-in's time goes. Prints figures; asserts nothing.

Hands in the same simulated class (``--learners`` learners × ``--lessons`` lessons, answers
written as the widgets write them) and grades it, each time from scratch:

1. nbgrader's own ``nbgrader autograde LESSON`` per lesson (one hand-in after another, a fresh
   kernel each, with the course's clean intake);
2. ``course autograde`` with one worker, one per core, and its default (two per core);

then takes a few hand-ins apart, in this process, with nbgrader's API: a kernel started for each
(as nbgrader does) and a kernel kept by the worker (as ``course autograde`` does), in seconds of
time and of CPU (this process: nbgrader's own steps; the kernels: start-up and the lesson's cells).
A class is graded at best at (CPU seconds per hand-in × hand-ins ÷ cores): the floor printed for
100 learners × 10 lessons. The machine's load average is printed beside each figure (a shared
machine's figures are only as good as its load).

    .venv/bin/python benchmarks/autograde.py [--learners 10] [--lessons 4]
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_lib import instructor  # noqa: E402
from course_lib.content import load_lesson  # noqa: E402
from course_lib.instructor.autograding import default_workers  # noqa: E402
from course_lib.instructor.gradebook import gradebook, points  # noqa: E402
from course_lib.layout import ANSWERS_FILE, CourseLayout  # noqa: E402
from course_lib.publish.nbgrader import run_nbgrader  # noqa: E402
from course_lib.store import ResponseStore  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they are measured


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def make_course(root: Path) -> CourseLayout:
    layout = CourseLayout(ROOT).copy_sources(root)
    started = time.monotonic()
    instructor.release(layout, say=lambda _line: None)
    print(f"  course release (nbgrader's API, one process): {time.monotonic() - started:5.1f} s ({load()})")
    return layout


def hand_in_class(layout: CourseLayout, learners: int, lessons: int) -> None:
    rng = random.Random(7)
    with gradebook(layout) as gb:
        for n in range(learners):
            gb.update_or_create_student(f"learner{n:03d}")
    for n in range(learners):
        learner = f"learner{n:03d}"
        for lid in layout.lesson_ids[:lessons]:
            folder = layout.submitted / learner / lid
            shutil.copytree(layout.release / lid, folder)
            store = ResponseStore(folder / ANSWERS_FILE, lid)
            for q in load_lesson(layout.lesson(lid)).questions.values():
                if q.kind == "single":
                    store.save(f"questions/{q.id}", rng.choice(q.option_ids))
                elif q.kind == "multiple":
                    store.save(f"questions/{q.id}", rng.sample(q.option_ids, rng.randint(1, len(q.option_ids))))
                else:
                    store.save(f"questions/{q.id}", {i: rng.choice(q.category_ids) for i in q.option_ids})


def fresh_grades(layout: CourseLayout) -> None:
    shutil.rmtree(layout.autograded, ignore_errors=True)
    layout.autograded.mkdir()
    (layout.grading / "handins.json").unlink(missing_ok=True)


def scores(layout: CourseLayout) -> dict:
    with gradebook(layout) as gb:
        return {(s.student.id, s.assignment.name): points(s)[0] for a in gb.assignments for s in a.submissions}


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kernel_start(tries: int = 3) -> tuple[float, float]:
    """Seconds and CPU seconds for a kernel to start and answer (as nbgrader starts one)."""
    from jupyter_client.manager import KernelManager

    wall = cpu = 0.0
    for _ in range(tries):
        km = KernelManager(kernel_name="python3")
        started = time.monotonic()
        km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        wall += time.monotonic() - started
        cpu += _cpu_of(km.provisioner.process.pid)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return wall / tries, cpu / tries


def take_apart(layout: CourseLayout, sample: list[tuple[str, str]]) -> None:
    """A few hand-ins graded in this process with nbgrader's API, a kernel per hand-in and then a kept one."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from course_lib.instructor.handins import INTAKE, find_handins, take_in
    from course_lib.instructor.worker import KeptKernel
    from course_lib.publish.nbgrader import course_config, nbgrader_api

    for h in find_handins(layout, {learner for learner, _lesson in sample}):
        if (h.learner, h.lesson) in sample:
            take_in(layout, h)
    wall, cpu = kernel_start()
    print(f"  a kernel starting and answering: {wall:.2f} s, {cpu:.2f} CPU s ({load()})")
    for name, kept in (("a kernel per hand-in (nbgrader's way)", False), ("a kernel kept by the worker", True)):
        config = course_config(layout.grading, submitted_directory=INTAKE)
        if kept:
            config.Autograde.autograde_preprocessors = [KeptKernel if p is Execute else p for p in
                                                        Autograde(config=config).autograde_preprocessors]
        api = nbgrader_api(layout, config)
        api.autograde(*reversed(sample[0]), force=True, create=False)  # warm: imports, a first kernel
        before, started = os.times(), time.monotonic()
        kernel_before = _cpu_of(KeptKernel._km.provisioner.process.pid) if kept and KeptKernel._km else 0.0
        for learner, lesson in sample:
            api.autograde(lesson, learner, force=True, create=False)
        after, n = os.times(), len(sample)
        mine = (after.user + after.system - before.user - before.system) / n
        kernels = (after.children_user + after.children_system - before.children_user - before.children_system)
        if kept and KeptKernel._km:
            kernels += _cpu_of(KeptKernel._km.provisioner.process.pid) - kernel_before
            KeptKernel.replace()
        per = (time.monotonic() - started) / n
        print(f"  {name}: {per:.2f} s per hand-in; CPU {mine:.2f} s nbgrader's steps + {kernels / n:.2f} s kernel "
              f"= {mine + kernels / n:.2f} s ({load()})")
        floor = (mine + kernels / n) * 1000 / (os.cpu_count() or 1)
        print(f"    100 learners x 10 lessons at that CPU cost on {os.cpu_count()} core(s): at least "
              f"{floor / 60:.1f} min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--lessons", type=int, default=4)
    parser.add_argument("--skip-nbgrader", action="store_true", help="leave out nbgrader's own command (slow)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"{os.cpu_count()} core(s), {load()} at the start")
    with tempfile.TemporaryDirectory() as tmp:
        layout = make_course(Path(tmp))
        hand_in_class(layout, args.learners, args.lessons)
        n = args.learners * args.lessons
        print(f"{n} hand-ins ({args.learners} learners x {args.lessons} lessons)")

        plain_scores = None
        if not args.skip_nbgrader:
            fresh_grades(layout)
            started = time.monotonic()
            for lid in layout.lesson_ids[:args.lessons]:
                run_nbgrader(layout, "autograde", lid, "--force")
            plain = time.monotonic() - started
            plain_scores = scores(layout)
            print(f"  nbgrader autograde, lesson by lesson: {plain:6.1f} s, {plain / n:.2f} s per hand-in ({load()})")

        results = {}
        for workers in dict.fromkeys((1, cores, default_workers())):
            fresh_grades(layout)
            started = time.monotonic()
            report = instructor.autograde(layout, workers=workers, say=lambda _line: None)
            took = time.monotonic() - started
            results[workers] = (took, scores(layout), report.count("graded"))
            print(f"  course autograde, {workers} worker(s): {took:6.1f} s, {took / n:.2f} s per hand-in "
                  f"({report.count('graded')} graded; {load()})")
        one = results[1]
        for workers, (took, _scores, _graded) in results.items():
            if workers > 1:
                print(f"  speed-up with {workers} workers: {one[0] / took:.2f}x")
        same = all(r[1] == one[1] for r in results.values()) and (plain_scores is None or one[1] == {
            k: v for k, v in plain_scores.items() if k in one[1]})
        print(f"  every score the same in all runs: {'yes' if same else 'NO'}")
        per = results[default_workers()][0] / n
        print(f"  a class of 100 learners x 10 lessons (1000 hand-ins) at the default's rate: about "
              f"{per * 1000 / 60:.1f} min on this machine; one worker {one[0] / n * 1000 / 60:.1f} min")

        print("Where a hand-in's time goes (nbgrader's API in this process):")
        sample = [(f"learner{i:03d}", layout.lesson_ids[0]) for i in range(min(args.learners, 10))]
        take_apart(layout, sample)
    print(f"{load()} at the end")


if __name__ == "__main__":
    main()
