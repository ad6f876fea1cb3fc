"""The ``course`` command. Every ``make`` target is one line calling it, so the same works
where there is no ``make``: ``python -m course_lib release`` and so on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import instructor
from .instructor import CommandError, find_course
from .instructor.handins import one_line
from .layout import LEARNER_FOLDER, PACKAGED_EDITION
from .web.settings import SETTINGS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=None,
                        help="the course folder (default: the one this package is installed from)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check every lesson, and the release if there is one")
    sub.add_parser("report", help="print each lesson's reading level and size (needs the test extra)")
    sub.add_parser("readme", help="rewrite the README's lesson table and list of tools from the course's data")
    msgs = sub.add_parser("messages", help="bring the message catalogs (course_lib/locale/) in step with the code")
    msgs.add_argument("--add", metavar="CODE", help="start the catalog of a new language (e.g. vi)")
    sub.add_parser("build", help="make the self-paced edition in build/self-paced/ (learners alone; the web view)")
    wheel = sub.add_parser("wheel", help="build a wheel with the course inside, for learners: pip install it, then "
                                         "course start")
    wheel.add_argument("--out", type=Path, default=None, help="default: dist/")
    sub.add_parser("release", help="make the cohort edition in grading/release/ with nbgrader, and check it for leaks")
    grade = sub.add_parser("autograde", help="autograde the hand-ins in grading/submitted/ (nbgrader, every core)")
    grade.add_argument("--force", action="store_true", help="grade again hand-ins already graded and unchanged")
    grade.add_argument("--learner", action="append", help="only this learner (may be given more than once)")
    grade.add_argument("--lesson", action="append", help="only this lesson (may be given more than once)")
    grade.add_argument("--workers", type=int, default=None,
                       help="hand-ins graded at once (default: two per core, at most 16)")
    grade.add_argument("--time-budget", type=float, default=60.0, help="seconds one hand-in may take (default 60)")
    fb = sub.add_parser("feedback", help="write feedback pages to grading/feedback/ (nbgrader)")
    fb.add_argument("--lesson", action="append", help="only this lesson")
    grades = sub.add_parser("grades", help="export grades as CSV, one row per learner and lesson")
    grades.add_argument("--out", type=Path, default=None, help="default: grading/grades.csv")
    roster = sub.add_parser("roster", help="the class list").add_subparsers(dest="roster", required=True)
    imp = roster.add_parser("import", help="check a CSV class list (id,first_name,last_name,email) and, if it has "
                                           "no problems, write it to the gradebook")
    imp.add_argument("file", type=Path)
    imp.add_argument("--check", action="store_true", help="only check the file and say what would change")
    book = sub.add_parser("gradebook", help="the gradebook").add_subparsers(dest="gradebook", required=True)
    move = book.add_parser("move-to", help="copy the gradebook (and the record of hand-ins) to an empty one, "
                                           "e.g. on PostgreSQL")
    move.add_argument("url", help="postgresql+psycopg://user:password@host/database")
    ws = sub.add_parser("workspace", help="make or update the learner workspace from the self-paced edition")
    ws.add_argument("--dir", type=Path, default=None, help="default: workspace/")
    start = sub.add_parser("start", help="build, update the workspace, and open the learner's JupyterLab on it")
    start.add_argument("--dir", type=Path, default=None,
                       help=f"default: workspace/ in the course folder; installed from a wheel: ~/{LEARNER_FOLDER}")
    start.add_argument("--no-lab", action="store_true", help="prepare everything but do not open JupyterLab")
    start.add_argument("--port", type=int, default=8888, help="on 127.0.0.1 (default: 8888)")
    start.add_argument("--language", default=None, metavar="CODE",
                       help="the course's language, kept for next time (en, es; default: the one chosen last)")
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
    hub = sub.add_parser("hub", help="serve a class on JupyterHub: logins, hand-in by button, formgrader (docs/hub.md)")
    hub.add_argument("--port", type=int, default=8000, help="the port learners open (default: 8000)")
    hub.add_argument("--ip", default="127.0.0.1",
                     help="the address to listen on (default 127.0.0.1; 0.0.0.0 for every network of this machine)")
    hub.add_argument("--dir", type=Path, default=None, help="the hub folder (default: hub/ in the course folder)")
    hub.add_argument("--instructor", action="append", default=[], metavar="LOGIN",
                     help="an instructor's login (repeatable; kept in hub.yaml)")
    hub.add_argument("--roster", type=Path, default=None, metavar="CSV",
                     help="the class list (id,first_name,last_name,email) of the course's cohort (kept in hub.yaml)")
    hub.add_argument("--cohort", action="append", default=[], metavar="NAME:CSV",
                     help="another cohort on the same hub, with its class list (repeatable; kept in hub.yaml)")
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
    from importlib.util import find_spec

    if find_spec("textstat") is None and any(layout.notebooks.glob("*/lesson.*.yaml")):
        print("Note: the translations' reading ease was not checked: it needs textstat (pip install -e '.[test]').")
    verdict = f"{len(problems)} problem(s)" if problems else "no problems"
    print(f"{len(layout.lesson_ids)} lesson(s) checked: {verdict}.")
    return 1 if problems else 0


def _report(args) -> int:
    from .outline import course_languages, load_outline
    from .publish.citations import readability
    from .publish.languages import MIN_EASE, ease_by_lesson, tools_ease

    layout = find_course(args.root)
    outline = load_outline(layout.notebooks)
    others = [code for code in course_languages(layout.notebooks)[1:] if code in MIN_EASE]
    ease = {code: ease_by_lesson(layout, code) for code in others}
    print(f"{'lesson':32} {'FK grade':>8} {'ease':>5} {'words':>6} {'checks':>6} {'graded':>6} {'steps':>5}"
          + "".join(f" {'FH ' + code:>6}" for code in others))
    for lid, lesson in outline.lessons.items():
        r = readability(layout.lesson(lid))
        steps = sum(len(s.steps) for s in lesson.scenarios.values())
        print(f"{lid:32} {r['grade']:8.1f} {r['ease']:5.0f} {r['words']:6d} {len(lesson.self_checks):6d} "
              f"{len(lesson.questions):6d} {steps:5d}"
              + "".join(f" {ease[c][lid]:6.0f}" if lid in ease[c] else f" {'':>6}" for c in others))
    for code in others:
        if (figure := tools_ease(layout, code)) is not None:
            print(f"{'tools (letters, sheets, pages)':32} {'':>8} {'':>5} {'':>6} {'':>6} {'':>6} {'':>5}"
                  + "".join(f" {figure:6.0f}" if c == code else f" {'':>6}" for c in others))
    if others:
        print("FH: Fernández-Huerta reading ease of the lesson in that language (" + ", ".join(
            f"{c}: {MIN_EASE[c]:.0f} or more" for c in others) + ", checked by course check)")
    return 0


def _messages(args) -> int:
    from .publish.messages import update

    for line in update(args.add):
        print(line)
    return 0


def _readme(args) -> int:
    from .publish.readme import update_readme

    changed = update_readme(find_course(args.root))
    print(f"README.md: rewrote {', '.join(changed)}" if changed else "README.md is up to date")
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
                                  lessons=args.lesson, workers=args.workers, budget=args.time_budget)
    graded, failed = report.count("graded"), report.count("failed") + report.count("not graded")
    print(f"Done in {report.seconds:.0f} s: {graded} graded, {report.count('unchanged')} unchanged, "
          f"{failed} not graded.")
    if report.problems:
        print("\nProblems, by learner and lesson (also in the problems column of course grades):")
        for o in report.problems:
            flag = " [suspicious]" if o.handin.suspicious else ""
            for problem in o.handin.problems:
                print(f"- {one_line(o.handin.learner, 40)} · {o.handin.lesson}{flag}: {problem}")
    return 2 if failed else 0


def _feedback(args) -> int:
    done = instructor.feedback(find_course(args.root), args.lesson)
    print(f"Wrote feedback pages for {len(done)} lesson(s) to grading/feedback/ "
          "(nbgrader release_feedback hands them back)")
    return 0


def _grades(args) -> int:
    layout = find_course(args.root)
    out = instructor.export_grades(layout, args.out)
    print(f"Wrote {out.rows} row(s) to {out.grades} and one row per learner to {out.by_learner}")
    if out.left_out:
        print(f"Hand-ins of {len(out.left_out)} folder(s) not in the class list are not in them: "
              + ", ".join(one_line(n, 30) for n in out.left_out[:10]) + " (course autograde says why)")
    for warning in out.warnings:
        print(f"Warning: {warning}")
    return 0


def _roster(args) -> int:
    return 0 if instructor.import_class_list(find_course(args.root), args.file, write=not args.check) else 1


def _gradebook(args) -> int:
    instructor.move_gradebook(find_course(args.root), args.url)
    return 0


def _workspace(args) -> int:
    from .workspace import sync_workspace

    layout = find_course(args.root)
    target = args.dir or layout.workspace
    print(sync_workspace(layout.self_paced, target).summary())
    print(f"Your workspace is {target}")
    return 0


def _wheel(args) -> int:
    from .publish.wheel import build_wheel

    layout = find_course(args.root)
    wheel = build_wheel(layout, args.out or layout.root / "dist", say=lambda _line: None)
    print(f"Built {wheel}\nA learner installs it with: pip install {wheel.name}   and then runs: course start")
    return 0


def _start(args) -> int:
    from .learner.lab import start_lab
    from .workspace import sync_workspace

    try:
        layout = find_course(args.root)
    except CommandError:
        if args.root is not None or not PACKAGED_EDITION.is_dir():
            raise
        layout = None  # installed from a wheel: the edition is in the package, the learner's folder at home
    if layout is None:
        target = (args.dir or Path.home() / LEARNER_FOLDER).resolve()
        print(f"Your course and your answers are kept in {target}", flush=True)

        def prepare():
            return sync_workspace(PACKAGED_EDITION, target)
    else:
        from .publish import SELF_PACED, run

        target = (args.dir or layout.workspace).resolve()

        def prepare():
            run(SELF_PACED, layout)
            return sync_workspace(layout.self_paced, target)

    if args.no_lab:
        print(prepare().summary())
        print(f"Your workspace is {target}")
        return 0
    return start_lab(target, args.port, prepare, args.language)


def _view(args) -> int:
    from .publish import COHORT_VIEW, SELF_PACED, run
    from .web import serve

    layout = find_course(args.root)
    cohort = args.edition == "cohort"
    run(COHORT_VIEW if cohort else SELF_PACED, layout)
    given = {name: getattr(args, name) for name, s in SETTINGS.items() if s.option and getattr(args, name) is not None}
    return serve(layout.cohort_view if cohort else layout.self_paced, port=args.port, **given)


def _hub(args) -> int:
    try:
        from .hub.command import HubError, serve, settings_from_options
    except ModuleNotFoundError as exc:
        raise CommandError(f"the hub's packages are not installed ({exc.name}): make hub, or "
                           "pip install -e '.[hub]'") from exc

    layout = find_course(args.root)
    try:
        settings = settings_from_options(layout, (args.dir or layout.root / "hub").resolve(), args.instructor,
                                         args.roster, args.cohort)
        return serve(layout, settings, args.ip, args.port)
    except HubError as exc:
        raise CommandError(str(exc)) from exc


COMMANDS = {"check": _check, "report": _report, "readme": _readme, "messages": _messages, "build": _build,
            "wheel": _wheel, "release": _release, "autograde": _autograde, "feedback": _feedback, "grades": _grades,
            "roster": _roster, "gradebook": _gradebook, "workspace": _workspace, "start": _start, "view": _view,
            "hub": _hub}

if __name__ == "__main__":
    sys.exit(main())
