"""The ``course`` command. Every ``make`` target is one line calling it, so the same works
where there is no ``make``: ``python -m course_lib release`` and so on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import instructor
from .instructor import CommandError, find_course
from .web.settings import SETTINGS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None,
                        help="the course folder (default: the one this package is installed from)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check every lesson, and the release if there is one")
    sub.add_parser("report", help="print each lesson's reading level and size (needs the test extra)")
    sub.add_parser("build", help="make the self-paced edition in build/self-paced/ (learners alone; the web view)")
    sub.add_parser("release", help="make the cohort edition in grading/release/ with nbgrader, and check it for leaks")
    grade = sub.add_parser("autograde", help="autograde the hand-ins in grading/submitted/ (nbgrader, every core)")
    grade.add_argument("--force", action="store_true", help="grade again hand-ins already graded and unchanged")
    grade.add_argument("--learner", action="append", help="only this learner (may be given more than once)")
    grade.add_argument("--lesson", action="append", help="only this lesson (may be given more than once)")
    grade.add_argument("--workers", type=int, default=None,
                       help="hand-ins graded at once (default: two per core, at most 16)")
    grade.add_argument("--time-budget", type=float, default=60.0, help="seconds one hand-in may take (default 60)")
    grade.add_argument("--add-learners", action="store_true",
                       help="grade folders of learners who are not in the class list, adding them to it")
    fb = sub.add_parser("feedback", help="write feedback pages to grading/feedback/ (nbgrader)")
    fb.add_argument("--lesson", action="append", help="only this lesson")
    grades = sub.add_parser("grades", help="export grades as CSV, one row per learner and lesson")
    grades.add_argument("--out", type=Path, default=None, help="default: grading/grades.csv")
    ws = sub.add_parser("workspace", help="make or update the learner workspace from the self-paced edition")
    ws.add_argument("--dir", type=Path, default=None, help="default: workspace/")
    start = sub.add_parser("start", help="build, update the workspace, and open the learner's JupyterLab on it")
    start.add_argument("--dir", type=Path, default=None, help="default: workspace/")
    start.add_argument("--no-lab", action="store_true", help="prepare everything but do not open JupyterLab")
    start.add_argument("--port", type=int, default=8888, help="on 127.0.0.1 (default: 8888)")
    view = sub.add_parser("view", help="serve the read-only web view with Voila on 127.0.0.1")
    view.add_argument("--port", type=int, default=8866)
    view.add_argument("--edition", choices=("self-paced", "cohort"), default="self-paced",
                      help="self-paced: each graded question's result after it is answered (default); cohort: "
                           "no answer key on the server at all, for a class whose instructor grades the lessons")
    for setting in SETTINGS.values():
        if setting.option and isinstance(setting.default, tuple):
            view.add_argument(setting.option, dest=setting.name, action="append", metavar="NAME",
                              help=setting.help + " Repeatable.")
        elif setting.option:
            view.add_argument(setting.option, dest=setting.name, type=int, metavar="N",
                              help=f"{setting.help} Default: {setting.default}.")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (CommandError, FileNotFoundError) as exc:
        print(f"course {args.command}: {exc}", file=sys.stderr)
        return 1
    except RuntimeError as exc:  # a build step or nbgrader said what is wrong
        print(f"course {args.command}: {exc}", file=sys.stderr)
        return 1


def _check(args) -> int:
    from .publish.checks import check_sources
    from .publish.leaks import scan_release

    layout = find_course(args.root)
    problems = check_sources(layout)
    if any(layout.release.glob("*/lesson.yaml")):
        problems += scan_release(layout)
    for p in problems:
        print(f"- {p}")
    verdict = f"{len(problems)} problem(s)" if problems else "no problems"
    print(f"{len(layout.lesson_ids)} lesson(s) checked: {verdict}.")
    return 1 if problems else 0


def _report(args) -> int:
    from .outline import load_outline
    from .publish.citations import readability

    layout = find_course(args.root)
    outline = load_outline(layout.notebooks)
    print(f"{'lesson':32} {'FK grade':>8} {'ease':>5} {'words':>6} {'checks':>6} {'graded':>6} {'steps':>5}")
    for lid, lesson in outline.lessons.items():
        r = readability(layout.lesson(lid))
        steps = sum(len(s.steps) for s in lesson.scenarios.values())
        print(f"{lid:32} {r['grade']:8.1f} {r['ease']:5.0f} {r['words']:6d} {len(lesson.self_checks):6d} "
              f"{len(lesson.questions):6d} {steps:5d}")
    return 0


def _build(args) -> int:
    from .publish import SELF_PACED, run

    run(SELF_PACED, find_course(args.root), print)
    return 0


def _release(args) -> int:
    lessons = instructor.release(find_course(args.root))
    print(f"Released {len(lessons)} lesson(s) to grading/release/: " + ", ".join(lessons))
    return 0


def _autograde(args) -> int:
    report = instructor.autograde(find_course(args.root), force=args.force, learners=args.learner,
                                  lessons=args.lesson, workers=args.workers, budget=args.time_budget,
                                  add_learners=args.add_learners)
    graded, failed = report.count("graded"), report.count("failed") + report.count("not graded")
    print(f"Done in {report.seconds:.0f} s: {graded} graded, {report.count('unchanged')} unchanged, "
          f"{failed} not graded.")
    if report.problems:
        print("\nProblems, by learner and lesson (also in the problems column of course grades):")
        for o in report.problems:
            flag = " [suspicious]" if o.handin.suspicious else ""
            for problem in o.handin.problems:
                print(f"- {o.handin.learner} · {o.handin.lesson}{flag}: {problem}")
    return 2 if failed else 0


def _feedback(args) -> int:
    done = instructor.feedback(find_course(args.root), args.lesson)
    print(f"Wrote feedback pages for {len(done)} lesson(s) to grading/feedback/ "
          "(nbgrader release_feedback hands them back)")
    return 0


def _grades(args) -> int:
    layout = find_course(args.root)
    long, wide, n = instructor.export_grades(layout, args.out)
    print(f"Wrote {n} row(s) to {long} and one row per learner to {wide}")
    return 0


def _workspace(args) -> int:
    from .workspace import sync_workspace

    layout = find_course(args.root)
    target = args.dir or layout.workspace
    print(sync_workspace(layout.self_paced, target).summary())
    print(f"Your workspace is {target}")
    return 0


def _start(args) -> int:
    from .learner.lab import start_lab
    from .publish import SELF_PACED, run
    from .workspace import sync_workspace

    layout = find_course(args.root)
    target = (args.dir or layout.workspace).resolve()

    def prepare():
        run(SELF_PACED, layout)
        return sync_workspace(layout.self_paced, target)

    if args.no_lab:
        print(prepare().summary())
        print(f"Your workspace is {target}")
        return 0
    return start_lab(target, args.port, prepare)


def _view(args) -> int:
    from .publish import COHORT_VIEW, SELF_PACED, run
    from .web import serve

    layout = find_course(args.root)
    cohort = args.edition == "cohort"
    run(COHORT_VIEW if cohort else SELF_PACED, layout)
    given = {name: getattr(args, name) for name, s in SETTINGS.items() if s.option and getattr(args, name) is not None}
    return serve(layout.cohort_view if cohort else layout.self_paced, port=args.port, **given)


COMMANDS = {"check": _check, "report": _report, "build": _build, "release": _release, "autograde": _autograde,
            "feedback": _feedback, "grades": _grades, "workspace": _workspace, "start": _start, "view": _view}

if __name__ == "__main__":
    sys.exit(main())
