"""A lesson in another language: the structure of ``lesson.yaml`` with the words of ``lesson.<lang>.yaml``.

Ids, order, answer keys, points, skills and scenario links are the lesson's structure; they are
written once, in ``lesson.yaml`` (English), so a translation can change no key and no grade. A
translation file holds only words, at the same places:

* ``title``, ``objectives``, ``key_points``, ``sources`` (lists in the same order);
* ``glossary``: for each English term, ``{term: <the term in this language>, text: <definition>}``;
* ``scenarios.<id>``: ``title`` and ``steps.<step>``: ``text`` and ``choices`` (a list in the same
  order, each ``{text, feedback}``);
* ``self_checks.<id>`` and ``questions.<id>``: ``prompt``, ``hint``, ``why``, and ``options`` /
  ``items`` / ``categories`` as a mapping from the English option id to ``{text, feedback}``;
* ``reflections.<id>``: ``prompt``, ``hint``, ``rubric``;
* ``cells``: the lesson notebook's Markdown cells, by cell id.

Every text of the English lesson must have its translation and nothing more (:func:`problems`),
so a lesson can never be half in one language; each text keeps the English one's citations and
link targets, because they name the same rules and pages.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import yaml

from .files import parse_yaml
from .reader import LessonError

LESSON_FILE = "lesson.yaml"
# Fields that are structure, never words: a translation must not hold them. An entry is a field's name, or its
# place as a dotted pattern (``*`` for any one key), where the name alone also names words elsewhere.
STRUCTURE = frozenset({"id", "kind", "correct", "answer", "points", "skill", "next", "start", "ending",
                       "edition", "minutes", "audiences",
                       # course.yaml: its tracks' lessons and languages, its pass mark
                       "lessons", "languages", "pass_mark"})
BY_ID = frozenset({"options", "items", "categories"})  # lists whose entries a translation names by id
_CITATION = re.compile(r"\b\d+\s+(?:CFR|U\.S\.C\.)\s+[\d.]+(?:\([0-9a-zA-Z]+\))*"  # 34 CFR 300.34(c)(6)
                       r"|\b[1-9]\d{2}\.\d+(?:\([0-9a-zA-Z]+\))*")  # a further section: 300.117
_LINK = re.compile(r"\]\(([^)\s]+)")

Path_ = tuple  # a place in the lesson: ("questions", "fape-free", "options", "a", "text")


def is_structure(path: Path_, key: str, structure: frozenset = STRUCTURE) -> bool:
    """Whether the field ``key`` at ``path`` is structure: its name is in ``structure``, or its place is
    (``"letters.*.fields"``: the boxes each letter asks for, while ``fields`` at the top holds their labels)."""
    if key in structure:
        return True
    place = [*map(str, path), str(key)]
    return any(len(parts) == len(place) and all(p in ("*", q) for p, q in zip(parts, place, strict=True))
               for parts in (pattern.split(".") for pattern in structure if "." in pattern))


def translation_file(folder: str | Path, lang: str) -> Path:
    return Path(folder) / f"lesson.{lang}.yaml"


def notebook_cells(notebook: str | Path) -> dict[str, str]:
    """The Markdown cells of a lesson notebook, by cell id (the prose a translation replaces)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return {c["id"]: _source(c) for c in nb["cells"] if c.get("cell_type") == "markdown"}


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


# -- the places that hold words ------------------------------------------------------------------
def english_texts(raw: dict, cells: dict[str, str] | None = None, structure: frozenset = STRUCTURE) -> dict[Path_, str]:
    """Every text of an English lesson (``lesson.yaml`` as YAML gives it), by place. ``structure``: the
    fields that are not words (a lesson's by default; the tools have their own)."""
    out: dict[Path_, str] = {}
    for name, value in raw.items():
        if name == "glossary":
            for term, text in (value or {}).items():
                out[("glossary", str(term), "term")] = str(term)
                out[("glossary", str(term), "text")] = str(text)
        elif not is_structure((), name, structure):
            _walk(value, (name,), out, True, structure)
    for cell_id, text in (cells or {}).items():
        out[("cells", cell_id)] = text
    return out


def translated_texts(tr: dict, structure: frozenset = STRUCTURE) -> dict[Path_, str]:
    """Every text of a translation file, by the same places as :func:`english_texts`."""
    out: dict[Path_, str] = {}
    for name, value in tr.items():
        if name == "cells":
            out.update({("cells", str(k)): v for k, v in (value or {}).items()})
        else:
            _walk(value, (name,), out, False, structure)
    return out


def _walk(value, path: Path_, out: dict, english: bool, structure: frozenset = STRUCTURE) -> None:
    if isinstance(value, str):
        out[path] = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[path] = str(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            if not is_structure(path, str(k), structure):
                _walk(v, (*path, str(k)), out, english, structure)
            elif not english:  # reported by problems(): a translation holds words only
                out[(*path, str(k))] = str(v)
    elif isinstance(value, list):
        by_id = english and path[-1] in BY_ID
        for i, v in enumerate(value):
            if by_id and isinstance(v, dict) and "id" in v:
                _walk(v, (*path, str(v["id"])), out, english, structure)
            else:
                _walk(v, (*path, i), out, english, structure)
    elif value is not None and not isinstance(value, bool):
        out[path] = str(value)


def _hints_as_lists(texts: dict[Path_, str]) -> dict[Path_, str]:
    """A single ``hint: text`` is a list of one, whichever file says it."""
    return {((*p, 0) if p[-1] == "hint" else p): t for p, t in texts.items()}


# -- checking and applying -----------------------------------------------------------------------
def problems(raw: dict, cells: dict[str, str], tr: object, where: str, structure: frozenset = STRUCTURE) -> list[str]:
    """What keeps ``tr`` from being a whole translation of the lesson: missing and extra texts,
    structure fields, empty texts, citations or link targets that differ from the English."""
    if not isinstance(tr, dict):
        return [f"{where}: expected a mapping of the lesson's texts"]
    en = _hints_as_lists(english_texts(raw, cells, structure))
    out = _hints_as_lists(translated_texts(tr, structure))
    found = []
    for p in sorted(set(en) - set(out), key=str):
        found.append(f"{where}: no translation for {_name(p)}")
    for p in sorted(set(out) - set(en), key=str):
        if is_structure(p[:-1], p[-1], structure):
            found.append(f"{where}: {_name(p)} is structure, not words: ids, keys and points are set in "
                         f"{LESSON_FILE} only")
            continue
        found.append(f"{where}: {_name(p)} is not a text of the English lesson (remove it, or check its id)")
    for p in sorted(set(en) & set(out), key=str):
        if not str(out[p]).strip():
            found.append(f"{where}: {_name(p)} is empty")
        elif p[0] == "glossary" and p[-1] == "term":
            continue
        elif sorted(citations(en[p])) != sorted(citations(out[p])):
            found.append(f"{where}: {_name(p)} cites {sorted(citations(out[p]))}; the English cites "
                         f"{sorted(citations(en[p]))} (citations are the same in every language)")
        elif sorted(_LINK.findall(en[p])) != sorted(_LINK.findall(out[p])):
            found.append(f"{where}: {_name(p)} links to {sorted(_LINK.findall(out[p]))}; the English links to "
                         f"{sorted(_LINK.findall(en[p]))}")
    return found


def citations(text: str) -> list[str]:
    """The citations in ``text`` ("34 CFR 300.34(c)(6)", "300.117"), as a translation must keep them."""
    return [" ".join(m.split()) for m in _CITATION.findall(text)]


def _name(path: Path_) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")


def translate(raw: dict, cells: dict[str, str], tr: dict, where: str,
              structure: frozenset = STRUCTURE) -> tuple[dict, dict[str, str]]:
    """The lesson's data and Markdown cells in the translation's language. Raises
    :class:`LessonError` naming the first problem when ``tr`` is not a whole translation."""
    if found := problems(raw, cells, tr, where, structure):
        raise LessonError(found[0] + (f" (and {len(found) - 1} more; run course check)" if len(found) > 1 else ""))
    texts = _hints_as_lists(translated_texts(tr, structure))
    out = copy.deepcopy(raw)
    for name, value in list(out.items()):
        if name == "glossary":
            out["glossary"] = {texts[("glossary", str(t), "term")]: texts[("glossary", str(t), "text")]
                               for t in (value or {})}
        elif not is_structure((), name, structure):
            out[name] = _replace(value, (name,), texts, structure)
    return out, {cid: texts[("cells", cid)] for cid in cells}


def _replace(value, path: Path_, texts: dict, structure: frozenset = STRUCTURE):
    if isinstance(value, dict):
        return {k: v if is_structure(path, str(k), structure) else _replace(v, (*path, str(k)), texts, structure)
                for k, v in value.items()}
    if isinstance(value, list):
        by_id = path[-1] in BY_ID
        return [_replace(v, (*path, str(v["id"])) if by_id and isinstance(v, dict) and "id" in v else (*path, i),
                         texts, structure) for i, v in enumerate(value)]
    if path[-1] == "hint" and isinstance(value, str):
        return texts[(*path, 0)]
    return texts.get(path, value) if isinstance(value, str) else value


def load_translation(folder: str | Path, lang: str, name: str | None = None) -> dict:
    """The translation file of the lesson in ``folder`` (or the file ``name`` there, e.g. ``course.es.yaml``)."""
    path = Path(folder) / name if name else translation_file(folder, lang)
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{path}: there is no {lang!r} translation of this {'file' if name else 'lesson'}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LessonError(f"{path}: not valid YAML ({exc})") from None
    return data if isinstance(data, dict) else {}


def for_edition(raw: dict, tr: dict) -> dict:
    """The translation as an edition of the lesson carries it: the texts of ``raw`` (the edition's
    English data: a cohort's has no keys, ``why``, graded feedback or rubric) and no more, without
    the notebook's cells (the edition's notebook in that language has them)."""
    texts = _hints_as_lists(translated_texts(tr))
    return _nested({p: texts[p] for p in _hints_as_lists(english_texts(raw))})


def skeleton(raw: dict, cells: dict[str, str]) -> dict:
    """A translation file filled with the English texts, in the shape a translator fills in."""
    return _nested(english_texts(raw, cells))


def _nested(texts: dict[Path_, str]) -> dict:
    """Texts by place as the YAML mapping a translation file is."""
    out: dict = {}
    for path, text in texts.items():
        node = out
        for i, key in enumerate(path[:-1]):
            nxt = path[i + 1]
            if isinstance(nxt, int):
                node = node.setdefault(key, [])
            elif isinstance(node, list):
                while len(node) <= key:
                    node.append({})
                node = node[key]
            else:
                node = node.setdefault(key, {})
        last = path[-1]
        if isinstance(node, list):
            node.append(text)
        else:
            node[last] = text
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m course_lib.translation check|skeleton <lesson folder> <lang>``: for translators (the
    tools folder, ``notebooks/tools``, too: its ``tools.<lang>.yaml``)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[0] not in ("check", "skeleton"):
        print("usage: python -m course_lib.translation check|skeleton <lesson folder> <lang>")
        return 2
    verb, folder, lang = args[0], Path(args[1]), args[2]
    if (folder / "tools.yaml").is_file():
        return _tools_main(verb, folder, lang)
    raw = parse_yaml((folder / LESSON_FILE).read_text(encoding="utf-8"))
    nb = folder / f"{folder.name}.ipynb"
    cells = notebook_cells(nb) if nb.is_file() else {}
    if verb == "skeleton":
        target = translation_file(folder, lang)
        if target.exists():
            print(f"{target} exists; not overwritten")
            return 1
        target.write_text(yaml.safe_dump(skeleton(raw, cells), sort_keys=False, allow_unicode=True, width=100),
                          encoding="utf-8")
        print(f"wrote {target}: replace each English text with its translation")
        return 0
    try:
        found = problems(raw, cells, load_translation(folder, lang), str(translation_file(folder, lang)))
    except LessonError as exc:
        found = [str(exc)]
    print("\n".join(found) or f"{folder.name} ({lang}): every text translated, citations and links kept")
    return 1 if found else 0


def _tools_main(verb: str, folder: Path, lang: str) -> int:
    from .tools.content import TOOLS_STRUCTURE, notebook_cells, translation_name, translation_problems

    target = folder / translation_name(lang)
    if verb == "skeleton":
        if target.exists():
            print(f"{target} exists; not overwritten")
            return 1
        raw = parse_yaml((folder / "tools.yaml").read_text(encoding="utf-8"))
        target.write_text(yaml.safe_dump(_nested(english_texts(raw, notebook_cells(folder), TOOLS_STRUCTURE)),
                                         sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        print(f"wrote {target}: replace each English text with its translation")
        return 0
    found = translation_problems(folder, lang)
    print("\n".join(found) or f"tools ({lang}): every text translated, citations and links kept")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
