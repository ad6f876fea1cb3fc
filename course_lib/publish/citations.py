"""Accuracy and readability checks on what lessons say.

* Every legal citation in a lesson (CFR or U.S. Code) must be one the course has checked, listed
  in ``notebooks/citations.yaml`` with the facts it supports. A typo such as "300.302" for
  "300.320" is caught here, not by a parent at an IEP meeting.
* A sentence that says what a law says or requires must cite its source in the same paragraph.
* Readability of the learner-facing prose (Flesch-Kincaid grade, via ``textstat``), printed per
  lesson by ``course report``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..files import parse_yaml
from ..layout import LESSON_FILE, CourseLayout

_CFR = re.compile(r"\b((?:300|303|104|100|99)\.\d+)((?:\([a-z0-9]+\))*)")
_USC = re.compile(r"\b(\d+) U\.S\.C\.\s*(?:§\s*)?(\d+[a-z]*)((?:\([a-z0-9]+\))*)")
_CLAIM = re.compile(r"\b(IDEA|FERPA|(?i:the law|federal law|federal rules?|Section 504))\b[^.?!:]{0,60}?"
                    r"\b(?i:(says?|requires?|gives?|guarantees?))\b")  # "IDEA" in capitals only: not "an idea"
_OTHER_CFR = re.compile(r"\b((?!34 )\d+ CFR \d+\.\d+(?:\([a-z0-9]+\))*)")  # titles other than 34, e.g. 7 CFR
_SOURCED = re.compile(r"CFR|U\.S\.C\.|Endrew|Source|\b(?:300|104|99)\.\d+")


def allowed_citations(layout: CourseLayout) -> tuple[set[str], set[str]]:
    data = parse_yaml(layout.citations_file.read_text(encoding="utf-8")) or {}
    return set(data.get("cfr") or {}), set(data.get("usc") or {})


def _covered(cited: str, allowed: set[str]) -> bool:
    """``300.34`` is covered by ``300.34(a)``, and ``300.320(a)(7)`` by ``300.320(a)``."""
    return any(cited == a or a.startswith(cited + "(") or cited.startswith(a + "(") for a in allowed)


def _notebook_paragraphs(path: Path) -> Iterator[str]:
    if path.is_file():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                yield from (p for p in re.split(r"\n\s*\n", _source(cell)) if p.strip())


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def texts(folder: Path, claims_only: bool = False) -> Iterator[str]:
    """What a lesson (or the tools folder) says: Markdown paragraphs of its notebooks, and every
    string of its YAML data."""
    for nb in sorted(folder.glob("*.ipynb")):
        yield from _notebook_paragraphs(nb)
    for data in sorted(folder.glob("*.yaml")):
        try:
            yield from _strings(parse_yaml(data.read_text(encoding="utf-8")), claims_only)
        except yaml.YAMLError:
            continue  # reported by the data checks, naming the file


def _strings(value, claims_only: bool = False, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """Every string in ``value`` but those under ``skip`` keys; with ``claims_only``, not the text of an
    answer option or a choice, which may be a deliberately wrong statement that its feedback corrects
    (with its source)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in skip and not (claims_only and k == "text" and "id" in value):
                yield from _strings(v, claims_only, skip)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, claims_only, skip)
    elif isinstance(value, str):
        yield value


def check_citations(layout: CourseLayout) -> list[str]:
    """Citations not on the checked list, and legal claims with no source beside them, in every lesson
    and in the tools."""
    if not layout.citations_file.exists():
        return [f"{layout.citations_file} is missing: it lists the citations lessons may use"]
    cfr, usc = allowed_citations(layout)
    problems = []
    folders = [layout.lesson(lid) for lid in layout.lesson_ids] + ([layout.tools] if layout.tools.is_dir() else [])
    for folder in folders:
        unknown, unsourced = set(), []
        for text in texts(folder):
            unknown |= {m.group(1) + m.group(2) for m in _CFR.finditer(text)
                        if not _covered(m.group(1) + m.group(2), cfr)}
            unknown |= {f"{m.group(1)} U.S.C. {m.group(2)}{m.group(3)}" for m in _USC.finditer(text)
                        if not _covered(f"{m.group(1)} U.S.C. {m.group(2)}{m.group(3)}", usc)}
            unknown |= {m.group(1) for m in _OTHER_CFR.finditer(text) if not _covered(m.group(1), cfr)}
        for text in texts(folder, claims_only=True):
            claims = [m for m in _CLAIM.finditer(text) if not text[m.end():].lstrip().startswith("?")]
            if claims and not _SOURCED.search(text):
                unsourced.append(text[max(0, claims[0].start() - 20):claims[0].end() + 40].replace("\n", " "))
        if unknown:
            problems.append(f"{folder.name}: cites {sorted(unknown)}, not in {layout.citations_file.name} "
                            "(check the primary source, then add it there)")
        problems += [f"{folder.name}: a legal claim with no source in its paragraph: '…{s}…'" for s in unsourced]
    return problems


# -- readability ---------------------------------------------------------------------------------
_NOT_PROSE = ("id", "next", "kind", "answer", "start", "sources", "glossary", "audiences", "minutes", "edition",
              "rubric", "points")


def learner_prose(folder: Path) -> str:
    """The lesson's reading text, without citations, code, rubrics or Markdown marks."""
    notebook = json.loads((folder / f"{folder.name}.ipynb").read_text(encoding="utf-8"))
    data = parse_yaml((folder / LESSON_FILE).read_text(encoding="utf-8"))
    return plain_prose([_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"], data)


def plain_prose(cells: list[str], data: dict) -> str:
    """The reading text of a lesson's Markdown ``cells`` and its ``data`` (in any language)."""
    parts = list(cells)
    parts += [s for k, v in data.items() if k not in _NOT_PROSE for s in _strings(v, skip=_NOT_PROSE) if " " in s]
    text = re.sub(r"\*?Sources?:[^\n]*", "", "\n".join(parts))
    text = re.sub(r"\([^()]*(CFR|U\.S\.C\.|AOTA|AAP|ASHA|\d{4})[^()]*\)", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return re.sub(r"[*_`>#|\[\]]", "", text)


def readability(folder: Path) -> dict[str, float]:
    """Flesch-Kincaid grade, Flesch reading ease and word count of a lesson's prose."""
    try:
        import textstat
    except ImportError:  # a test extra: learners do not need it
        raise RuntimeError("The readability report needs textstat: pip install -e '.[test]'") from None
    text = learner_prose(folder)
    return {"grade": textstat.flesch_kincaid_grade(text), "ease": textstat.flesch_reading_ease(text),
            "words": textstat.lexicon_count(text)}
