"""How fast a class is graded. Prints figures; asserts nothing.

Hands in the same simulated class (``--learners`` learners × ``--lessons`` lessons, answers
written as the widgets write them) and grades it three ways, each from scratch:

1. nbgrader's own ``nbgrader autograde LESSON`` per lesson, one hand-in after another (how the
   course graded before it had its own runner);
2. ``course autograde`` with one worker;
3. ``course autograde`` with one worker per core, and with its default (two per core).

It prints seconds per hand-in for each, the speed-ups over one worker, whether every score is the same,
and what a 100-learner, 10-lesson class would take.

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
from course_lib.layout import ANSWERS_FILE, CourseLayout  # noqa: E402
from course_lib.publish.nbgrader import run_nbgrader  # noqa: E402
from course_lib.store import ResponseStore  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they are measured


def make_course(root: Path) -> CourseLayout:
    layout = CourseLayout(ROOT).copy_sources(root)
    instructor.release(layout, say=lambda _line: None)
    return layout


def hand_in_class(layout: CourseLayout, learners: int, lessons: int) -> None:
    rng = random.Random(7)
    for n in range(learners):
        learner = f"learner{n:03d}"
        run_nbgrader(layout, "db", "student", "add", learner)
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
    from course_lib.instructor.gradebook import gradebook, points

    with gradebook(layout) as gb:
        return {(s.student.id, s.assignment.name): points(s)[0] for a in gb.assignments for s in a.submissions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--lessons", type=int, default=4)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        layout = make_course(Path(tmp))
        hand_in_class(layout, args.learners, args.lessons)
        n = args.learners * args.lessons
        print(f"{n} hand-ins ({args.learners} learners x {args.lessons} lessons) on {cores} core(s)")

        fresh_grades(layout)
        started = time.monotonic()
        for lid in layout.lesson_ids[:args.lessons]:
            run_nbgrader(layout, "autograde", lid, "--force")
        plain = time.monotonic() - started
        plain_scores = scores(layout)
        print(f"  nbgrader autograde, lesson by lesson: {plain:6.1f} s, {plain / n:.2f} s per hand-in")

        results = {}
        for workers in dict.fromkeys((1, cores, default_workers())):
            fresh_grades(layout)
            started = time.monotonic()
            report = instructor.autograde(layout, workers=workers, say=lambda _line: None)
            took = time.monotonic() - started
            results[workers] = (took, scores(layout), report.count("graded"))
            print(f"  course autograde, {workers} worker(s):       {took:6.1f} s, {took / n:.2f} s per hand-in "
                  f"({report.count('graded')} graded)")
        one = results[1]
        for workers, (took, _scores, _graded) in results.items():
            if workers > 1:
                print(f"  speed-up with {workers} workers: {one[0] / took:.2f}x")
        same = all(r[1] == one[1] for r in results.values()) and one[1] == {
            k: v for k, v in plain_scores.items() if k in one[1]}
        print(f"  every score the same in all runs: {'yes' if same else 'NO'}")
        per = results[default_workers()][0] / n
        print(f"  a class of 100 learners x 10 lessons (1000 hand-ins) at the default's rate: about "
              f"{per * 1000 / 60:.0f} min on this machine; one at a time {one[0] / n * 1000 / 60:.0f} min")


if __name__ == "__main__":
    main()
