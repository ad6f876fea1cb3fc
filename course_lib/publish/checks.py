"""Check the sources: everything ``course check`` and every build look at before making anything.

Every inconsistency is reported as a problem an author can act on, never a traceback: data that
does not follow the format (each element on its own, so one mistake does not hide the next), an
element the notebook shows that the data does not define or the other way round, a notebook
line that is not an element call, a picture without alt text, tracks, citations, and answer keys
a learner could guess without reading the question: from their position, or from their length (in
every language the lesson is written in).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import nbformat

from ..content import LESSON_FILE, LessonContent, parse_lesson, read_raw, read_scenario
from ..files import parse_yaml
from ..layout import CourseLayout
from ..outline import load_outline
from ..questions import KINDS, MIN_LENGTH_CUE, Question, Reflection
from ..reader import LessonError, Reader
from .notebooks import element_calls

LAB_ONLY = "jupyterlab-only"  # a cell tag: shown in JupyterLab, hidden in the web view
SECTIONS = {"scenarios": "scenario", "self_checks": "self_check", "questions": "question",
            "reflections": "reflection"}


def check_sources(layout: CourseLayout, editorial: bool = True) -> list[str]:
    """Every problem of the sources. ``editorial=False`` leaves out what the course teaches (topics,
    kinds of questions, the cast, where citations stand): a build needs consistent sources, while
    ``course check`` and the tests hold the lessons to the editorial standard too."""
    problems = []
    try:
        load_outline(layout.notebooks)
    except LessonError as exc:
        problems.append(str(exc))
    lessons = {}
    for lid in layout.lesson_ids:
        try:
            found, content = lesson_problems(layout, lid)
        except Exception as exc:  # noqa: BLE001 - a check reports, it never crashes
            found, content = [f"{lid}: could not be checked ({type(exc).__name__}: {exc})"], None
        problems += found
        if content is not None:
            lessons[lid] = content
    problems += guessing_problems(lessons, translated_lessons(layout, lessons))
    from . import curriculum, languages
    from .citations import check_citations

    problems += check_citations(layout)
    problems += tools_problems(layout)
    problems += languages.parity_problems(layout)
    if editorial:
        problems += (curriculum.topic_problems(layout) + curriculum.question_problems(lessons)
                     + curriculum.character_problems(layout) + curriculum.citation_place_problems(layout)
                     + languages.english_problems(layout) + languages.ease_problems(layout))
    return problems


def tools_problems(layout: CourseLayout) -> list[str]:
    """The take-away tools' data must load: its citation scan skips a file it cannot read."""
    if not (layout.tools / "tools.yaml").is_file():
        return []
    from ..tools.content import ToolsError, load_tools

    try:
        load_tools(layout.tools)
    except ToolsError as exc:
        return [f"tools: {exc}"]
    return []


def lesson_problems(layout: CourseLayout, lid: str) -> tuple[list[str], LessonContent | None]:
    """Problems of one lesson, and its content if the data could be read at all."""
    folder = layout.lesson(lid)
    where = f"{lid}/{LESSON_FILE}"
    try:
        raw = read_raw(folder)
    except LessonError as exc:
        return [str(exc)], None
    problems = data_problems(raw, where)
    if problems:
        return problems, None
    content = parse_lesson(raw, where)
    if content.id != lid:
        problems.append(f"{where}: id is {content.id!r}; it must be the folder's name, {lid!r}")
    path = layout.lesson_notebook(lid)
    if not path.is_file():
        return problems + [f"{lid}: the notebook {path.name} is missing"], content
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001
        return problems + [f"{lid}/{path.name}: not a readable notebook ({exc})"], content
    calls, call_problems = element_calls(nb)
    problems += [f"{lid}/{path.name}: {p}" for p in call_problems]
    problems += [f"{lid}/{path.name}: {p}" for p in shown_problems(content, calls, layout, folder)]
    problems += [f"{lid}/{path.name}: cell {i + 1} mentions JupyterLab; tag it {LAB_ONLY!r} so the web view hides it"
                 for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "JupyterLab" in c.source
                 and LAB_ONLY not in c.metadata.get("tags", [])]
    problems += [f"{lid}/{path.name}: cell {i + 1} carries nbgrader metadata; the build writes it, so leave it out"
                 for i, c in enumerate(nb.cells) if "nbgrader" in c.metadata]
    return problems, content


def data_problems(raw: object, where: str) -> list[str]:
    """Every format problem of a lesson's data, each element read on its own."""
    if not isinstance(raw, dict):
        return [f"{where}: expected a mapping of fields"]
    problems = []
    head = {k: v for k, v in raw.items() if k not in SECTIONS}
    try:
        parse_lesson(head, where)
    except LessonError as exc:
        problems.append(str(exc))
    keys = raw.get("edition", "source") != "cohort"
    readers = {"scenarios": read_scenario,
               "self_checks": lambda r, k: Question.read(r, k, graded=False, keys=True),
               "questions": lambda r, k: Question.read(r, k, graded=True, keys=keys),
               "reflections": lambda r, k: Reflection.read(r, k, keys=keys)}
    for section, read in readers.items():
        entries = raw.get(section) or {}
        if not isinstance(entries, dict):
            problems.append(f"{where}: '{section}' must be a mapping of ids to entries")
            continue
        for key, value in entries.items():
            try:
                read(Reader(value, where, f"{section}.{key}"), str(key))
            except LessonError as exc:
                problems.append(str(exc))
    return problems


def shown_problems(content: LessonContent, calls, layout: CourseLayout, folder: Path) -> list[str]:
    """Each element the data defines is shown exactly once, and each one shown is defined."""
    problems = []
    shown = Counter((c.method, c.arg) for c in calls if c.arg is not None)
    for section, method in SECTIONS.items():
        defined = set(getattr(content, section))
        used = {arg for (m, arg) in shown if m == method}
        problems += [f"lesson.{method}({i!r}) shows a {method.replace('_', '-')} that {LESSON_FILE} does not define"
                     for i in sorted(used - defined)]
        problems += [f"{LESSON_FILE} defines {section}.{i}, but no cell shows it: add lesson.{method}({i!r})"
                     for i in sorted(defined - used)]
    problems += [f"lesson.{m}({a!r}) appears {n} times; show each element once" for (m, a), n in shown.items() if n > 1]
    methods = Counter(c.method for c in calls)
    if not methods["header"]:
        problems.append("the lesson never shows its header: add lesson.header() near the top")
    if content.questions and not methods["graded_intro"]:
        problems.append("add lesson.graded_intro() above the graded questions (it says how many there are)")
    if (content.questions or content.reflections) and not methods["check_lesson"]:
        problems.append("add lesson.check_lesson() after the graded questions and the reflection")
    alt = _alt_texts(layout)
    for c in calls:
        if c.method == "picture" and not ((layout.assets / c.arg).is_file() and alt.get(c.arg)):
            problems.append(f"the picture {c.arg!r} needs a file in assets/ and its alt text in assets/alt-text.yaml")
    return problems


def _alt_texts(layout: CourseLayout) -> dict:
    import yaml

    try:
        return parse_yaml(layout.alt_text_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


def guessing_problems(lessons: dict[str, LessonContent],
                      translations: dict[str, dict[str, LessonContent]] | None = None) -> list[str]:
    """Answer keys a learner could guess without reading the question, across the course's graded
    questions of each kind: the kind says how often its keys may sit at one option position
    (:meth:`Question.position_limit`) and how far they may stand out by length
    (:meth:`Question.length_cue`, :meth:`Question.length_limit`). ``translations`` holds the same
    lessons in other languages ({language: lessons}): their words have lengths of their own, while
    positions are the English lesson's."""
    problems = []
    for kind in KINDS.values():
        problems += _position_problems(kind, _graded(lessons, kind))
        for language, translated in {"": lessons, **(translations or {})}.items():
            problems += _length_problems(kind, _graded(translated, kind), language)
    return problems


def _graded(lessons: dict[str, LessonContent], kind: type[Question]) -> list[tuple[str, Question]]:
    return [(lid, q) for lid, content in lessons.items() for q in content.questions.values()
            if type(q) is kind and q.key is not None]


def _position_problems(kind: type[Question], graded: list[tuple[str, Question]]) -> list[str]:
    qs = [q for _lid, q in graded]
    limit = kind.position_limit(qs) if len(qs) >= 3 else None
    if limit is None:
        return []
    right = Counter(p for q in qs for p in q.key_positions())
    return [f"answer keys can be guessed by position: in {n} of {len(qs)} {kind.label} graded questions option "
            f"{p + 1} is right ({n / len(qs):.0%}, more than {limit:.0%}). Reorder some options (the option ids "
            "and so the keys stay as they are)." for p, n in sorted(right.items()) if n / len(qs) > limit]


_RANKS = ("longest", "second longest", "third longest")
_FIX_LENGTH = ("Shorten the key (move the explanation into why or feedback), or give wrong options believable "
               "qualifiers of their own.")
_FIX_RANK = "Vary it: make some keys the longest option (at most {ratio:g} times the next) and some the shortest."


def _length_problems(kind: type[Question], graded: list[tuple[str, Question]], language: str) -> list[str]:
    """Keys that stand out by length: one much longer than the wrong options, or the longest option (or
    any one other length rank) right in too many questions of the kind."""
    cues = [(lid, q, cue) for lid, q in graded if (cue := q.length_cue()) is not None]
    limit = kind.length_limit([q for _lid, q, _cue in cues]) if len(cues) >= 3 else None
    if limit is None:
        return []
    where = f"lesson.{language}.yaml" if language else LESSON_FILE
    problems = [f"{lid}/{where}: questions.{q.id}: the answer can be guessed by length: "
                f"{kind.length_measure.format(ratio=cue.ratio)} (at most {limit.ratio:g}). {_FIX_LENGTH}"
                for lid, q, cue in cues if cue.ratio > limit.ratio and cue.excess >= MIN_LENGTH_CUE]
    ranks = Counter(cue.rank for _lid, _q, cue in cues)
    for rank, n in sorted(ranks.items()):
        share = limit.longest if rank == 0 else limit.one_rank
        if share is not None and n / len(cues) > share:
            named = ", ".join(f"{lid.partition('-')[0]} {q.id}" for lid, q, cue in cues if cue.rank == rank)
            ordinal = _RANKS[rank] if rank < len(_RANKS) else f"number {rank + 1} by length"
            problems.append(f"answer keys can be guessed by length{f' ({where})' if language else ''}: in {n} of "
                            f"{len(cues)} {kind.label} graded questions the {ordinal} option is right "
                            f"({n / len(cues):.0%}, more than {share:.0%}): {named}. "
                            f"{_FIX_LENGTH if rank == 0 else _FIX_RANK.format(ratio=limit.ratio)}")
    return problems


def translated_lessons(layout: CourseLayout, lessons: dict[str, LessonContent]) -> dict[str, dict[str, LessonContent]]:
    """The lessons in each language they are translated into ({language: {lesson id: content}}), for the
    checks that read their words. A translation that does not load is left out here: the translation
    check (``python -m course_lib.translation check``) names its problems."""
    from .. import translation
    from ..content import load_lesson

    out: dict[str, dict[str, LessonContent]] = {}
    for lid in lessons:
        folder = layout.lesson(lid)
        for path in sorted(folder.glob(translation.translation_file(folder, "*").name)):
            language = path.name.split(".")[1]
            try:
                out.setdefault(language, {})[lid] = load_lesson(folder, language)
            except Exception:  # noqa: BLE001, S112 - reported by the translation check, not this one
                continue
    return out
