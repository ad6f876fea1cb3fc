"""Scan the cohort release for anything kept back from learners, in any file of it.

Looked for: nbgrader's solution, hidden-test and mark-scheme markers; a grading call; a learner's
answers file; lesson data that still carries keys; and the text of every ``why``, graded feedback
and rubric line of the source data (unless the lesson also says that sentence openly).
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import content, translation
from ..files import parse_yaml
from ..layout import ANSWERS_FILE, LESSON_FILE, CourseLayout
from ..reader import LessonError

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
MIN_SECRET = 12  # shorter lines ("Yes.") say nothing on their own


def withheld_texts(raw: dict) -> set[str]:
    """Every line of the source data that the cohort edition withholds (each kind says which)."""
    lines = {" ".join(line.split()) for text in content.withheld_texts(raw) for line in text.splitlines()}
    return {line for line in lines if len(line) >= MIN_SECRET}


def scan_release(layout: CourseLayout, release: Path | None = None) -> list[str]:
    release = release or layout.release
    if not release.is_dir():
        return [f"there is no release at {release}"]
    secrets, public = set(), []
    for lid in layout.lesson_ids:
        raw = content.read_raw(layout.lesson(lid))
        secrets |= withheld_texts(raw)
        public += _strings(content.withhold_keys(raw))
        public.append(_readable_text(layout.lesson_notebook(lid)))
        for tr_path in sorted(layout.lesson(lid).glob("lesson.*.yaml")):  # the same, in other languages
            tr = translation.load_translation(tr_path.parent, "", tr_path.name)
            words = _strings(translation.for_edition(raw, tr))
            kept = set(_strings(translation.for_edition(content.withhold_keys(raw), tr)))
            secrets |= {line for w in words if w not in kept for line in _lines(w)}
            public += [*kept, *_strings(tr.get("cells") or {})]
    public_text = " ".join(" ".join(p.split()) for p in public)
    secrets = {s for s in secrets if s not in public_text}
    problems = []
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = path.relative_to(release)
        if path.name.startswith(Path(ANSWERS_FILE).stem):
            problems.append(f"{rel}: a learner's answers file is in the release")
            continue
        text = " ".join(_readable_text(path).split())
        problems += [f"{rel}: contains the nbgrader marker {m!r}" for m in MARKERS if m in text]
        if "lesson.grade(" in text:
            problems.append(f"{rel}: contains a grading call")
        problems += [f"{rel}: contains text kept back from learners: {s[:60]!r}" for s in sorted(secrets) if s in text]
        if path.name == LESSON_FILE:
            try:
                lesson = content.parse_lesson(content.read_raw(path.parent), str(rel))
            except LessonError as exc:
                problems.append(f"{rel}: {exc}")
            else:
                if lesson.edition != "cohort":
                    problems.append(f"{rel}: lesson data of the {lesson.edition!r} edition, with its keys")
        elif path.name.startswith("lesson.") and path.suffix == ".yaml" and (path.parent / LESSON_FILE).is_file():
            try:  # a translation holds the words of the cohort's data and nothing more
                found = translation.problems(content.read_raw(path.parent), {},
                                             translation.load_translation(path.parent, "", path.name), str(rel))
            except LessonError as exc:
                found = [str(exc)]
            problems += found
    return problems


def _lines(text: str) -> set[str]:
    lines = {" ".join(line.split()) for line in text.splitlines()}
    return {line for line in lines if len(line) >= MIN_SECRET}


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _readable_text(path: Path) -> str:
    """A file's text, and what it says once decoded (YAML strings unquoted, notebook cells joined)."""
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        try:
            return "\n".join([raw, *_strings(parse_yaml(raw))])
        except yaml.YAMLError:
            return raw
    if path.suffix != ".ipynb":
        return raw
    try:
        nb = json.loads(raw)
    except ValueError:
        return raw
    parts = [raw]
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        parts.append("".join(src) if isinstance(src, list) else src)
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out, ensure_ascii=False))
    return "\n".join(parts)
