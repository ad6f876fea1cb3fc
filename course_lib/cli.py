"""The ``course`` command. Every ``make`` target is one line calling it, so the same works
where there is no ``make``: ``python -m course_lib release`` and so on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import instructor
from .checks import check_release
from .instructor import CommandError, find_course


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None,
                        help="the course folder (default: the one this package is installed from)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check every lesson, and the release if there is one")
    sub.add_parser("report", help="print each lesson's reading level and size (needs the test extra)")
    sub.add_parser("nav", help="update every lesson's navigation (from course.yaml) and pictures (from assets/)")
    sub.add_parser("release", help="make the student release in grading/release/ (nbgrader)")
    sub.add_parser("autograde", help="autograde every submission in grading/submitted/ (nbgrader)")
    sub.add_parser("feedback", help="write feedback pages to grading/feedback/ (nbgrader)")
    grades = sub.add_parser("grades", help="export grades as CSV, one row per learner and lesson")
    grades.add_argument("--out", type=Path, default=None, help="default: grading/grades.csv")
    ws = sub.add_parser("workspace", help="make or update the learner workspace from the release")
    ws.add_argument("--dir", type=Path, default=None, help="default: workspace/")
    start = sub.add_parser("start", help="release, update the workspace, and open the learner's JupyterLab on it")
    start.add_argument("--dir", type=Path, default=None, help="default: workspace/")
    start.add_argument("--no-lab", action="store_true", help="prepare everything but do not open JupyterLab")
    start.add_argument("--port", type=int, default=8888, help="on 127.0.0.1 (default: 8888)")
    view = sub.add_parser("view", help="serve the read-only web view with Voila on 127.0.0.1")
    view.add_argument("--port", type=int, default=8866)
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (CommandError, FileNotFoundError) as exc:
        print(f"course {args.command}: {exc}", file=sys.stderr)
        return 1


def _check(args) -> int:
    from .course import check_course

    course = find_course(args.root)
    problems = check_course(course.notebooks)
    if any(course.release.glob("*/lesson.yaml")):
        problems += check_release(course.notebooks, course.release)
    for p in problems:
        print(f"- {p}")
    verdict = f"{len(problems)} problem(s)" if problems else "no problems"
    print(f"{len(course.lessons)} lesson(s) checked: {verdict}.")
    return 1 if problems else 0


def _nav(args) -> int:
    from .course import embed_pictures, update_navigation

    notebooks = find_course(args.root).notebooks
    for what, changed in (("navigation", update_navigation(notebooks)), ("pictures", embed_pictures(notebooks))):
        print(f"Updated the {what} of {len(changed)} lesson(s)" + (": " + ", ".join(changed) if changed else "."))
    return 0


def _report(args) -> int:
    from .citations import readability
    from .course import load_outline

    notebooks = find_course(args.root).notebooks
    outline = load_outline(notebooks)
    print(f"{'lesson':32} {'FK grade':>8} {'ease':>5} {'words':>6} {'checks':>6} {'graded':>6} {'steps':>5}")
    for lid, lesson in outline.lessons.items():
        r = readability(notebooks / lid)
        steps = sum(len(s.steps) for s in lesson.scenarios.values())
        print(f"{lid:32} {r['grade']:8.1f} {r['ease']:5.0f} {r['words']:6d} {len(lesson.self_checks):6d} "
              f"{len(lesson.questions):6d} {steps:5d}")
    return 0


def _release(args) -> int:
    lessons = instructor.release(find_course(args.root))
    print(f"Released {len(lessons)} lesson(s) to grading/release/ and checked it for leaks: "
          + ", ".join(lessons))
    return 0


def _autograde(args) -> int:
    done = instructor.autograde(find_course(args.root))
    print(f"Autograded the submissions of {len(done)} lesson(s): "
          + (", ".join(done) or "none found in grading/submitted/"))
    return 0


def _feedback(args) -> int:
    done = instructor.feedback(find_course(args.root))
    print(f"Wrote feedback for {len(done)} lesson(s) to grading/feedback/")
    return 0


def _grades(args) -> int:
    course = find_course(args.root)
    out = args.out or course.grading / "grades.csv"
    n = instructor.export_grades(course, out)
    print(f"Wrote {n} row(s) to {out}")
    return 0


def _workspace(args) -> int:
    from .workspace import sync_workspace

    course = find_course(args.root)
    target = args.dir or course.root / "workspace"
    print(sync_workspace(course.release, target).summary())
    print(f"Your workspace is {target}")
    return 0


def _start(args) -> int:
    from .learner.freshness import inputs_digest, release_is_current, remember_release
    from .learner.lab import STATE, start_lab
    from .workspace import sync_workspace

    course = find_course(args.root)
    target = (args.dir or course.root / "workspace").resolve()

    def prepare():
        inputs = inputs_digest(course.root)
        if not release_is_current(course, target / STATE, inputs):
            instructor.release(course)
            remember_release(target / STATE, inputs)
        return sync_workspace(course.release, target)

    if args.no_lab:
        print(prepare().summary())
        print(f"Your workspace is {target}")
        return 0
    return start_lab(target, args.port, prepare)


def _view(args) -> int:
    from .web import serve

    course = find_course(args.root)
    instructor.release(course)
    return serve(course, port=args.port)


COMMANDS = {"check": _check, "report": _report, "nav": _nav, "release": _release, "autograde": _autograde,
            "feedback": _feedback, "grades": _grades, "workspace": _workspace, "start": _start, "view": _view}

if __name__ == "__main__":
    sys.exit(main())
