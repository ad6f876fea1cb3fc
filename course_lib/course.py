"""The course as a whole: tracks, the course home, the glossary and lesson navigation.

``notebooks/course.yaml`` says which lessons make up each track and in what order. From it
and the lessons' own glossaries this module makes two pages, ``index.ipynb`` (the course
home) and ``glossary.ipynb``, and the navigation cells at the top and bottom of every lesson.

All of it is Markdown cells, never widgets: relative links in Markdown work the same way in
JupyterLab (which opens the linked notebook) and in Voila (which renders it), and a page with
no code needs nothing from a kernel to read.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from .checks import check_lessons, lesson_folders, lesson_notebook
from .citations import check_citations
from .content import LessonContent, LessonError, load_lesson
from .files import atomic_write

COURSE_FILE = "course.yaml"
HOME = "index.ipynb"
GLOSSARY = "glossary.ipynb"
NAV_TOP, NAV_BOTTOM = "navigation-top", "navigation-bottom"
LAB_ONLY = "jupyterlab-only"  # a cell tag: shown in JupyterLab, hidden in the web view
TRACK_NAMES = {"parent": "Parents' track", "aide": "Aides' track"}


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    intro: str
    lessons: tuple[str, ...]


@dataclass(frozen=True)
class Outline:
    title: str
    summary: str
    tracks: dict[str, Track]
    lessons: dict[str, LessonContent]  # in course order

    def glossary(self) -> dict[str, str]:
        """Every lesson's words in one list; a word defined twice keeps its first definition."""
        merged: dict[str, str] = {}
        for lesson in self.lessons.values():
            for term, meaning in lesson.glossary.items():
                merged.setdefault(term, meaning)
        return dict(sorted(merged.items(), key=lambda kv: kv[0].casefold()))


def load_outline(notebooks: Path) -> Outline:
    """Read ``course.yaml`` and every lesson; refuse a track that names a missing lesson."""
    path = notebooks / COURSE_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{path}: missing; it lists the course's tracks") from None
    except yaml.YAMLError as exc:
        raise LessonError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("tracks"), dict):
        raise LessonError(f"{path}: needs a 'tracks' mapping")
    lessons = {p.name: load_lesson(p) for p in lesson_folders(notebooks)}
    tracks = {}
    for tid, t in raw["tracks"].items():
        if tid not in TRACK_NAMES or not isinstance(t, dict) or not isinstance(t.get("lessons"), list):
            raise LessonError(f"{path}: track {tid!r} must be one of {list(TRACK_NAMES)} and list its lessons")
        if missing := [lid for lid in t["lessons"] if lid not in lessons]:
            raise LessonError(f"{path}: track {tid!r} names lessons that do not exist: {missing}")
        tracks[tid] = Track(tid, str(t.get("title", TRACK_NAMES[tid])), str(t.get("intro", "")),
                            tuple(t["lessons"]))
    if orphans := sorted(set(lessons) - {lid for t in tracks.values() for lid in t.lessons}):
        raise LessonError(f"{path}: these lessons are in no track: {orphans}")
    return Outline(str(raw.get("title", "The course")), str(raw.get("summary", "")), tracks, lessons)


# -- pages -------------------------------------------------------------------------------------
def _link(outline: Outline, lesson_id: str, prefix: str) -> str:
    lesson = outline.lessons[lesson_id]
    return f"[{lesson.title}]({prefix}{lesson_id}/{lesson_id}.ipynb)"


def home_cells(outline: Outline) -> list[str]:
    cells = [f"# {outline.title}\n\n{outline.summary}\n\n"
             "Choose your track below and take the lessons in order. Each lesson takes 30 to 40 "
             "minutes. Every answer is given with buttons and boxes: you never need to write code. "
             f"Words you may not know are explained in the [glossary]({GLOSSARY})."]
    for track in outline.tracks.values():
        lines = [f"## {track.title}", "", track.intro, ""]
        for n, lid in enumerate(track.lessons, 1):
            lines.append(f"{n}. {_link(outline, lid, '')} (about {outline.lessons[lid].minutes} minutes)")
        cells.append("\n".join(lines))
    cells.append("## About this course\n\nEvery statement about the law or about therapy practice says where it "
                 "comes from, for example \"34 CFR 300.34(c)(6)\", a section of the federal rules for the "
                 "IDEA (the Individuals with Disabilities Education Act). This course is general information, "
                 "not legal advice. States add their own rules, so check your state's rules too.")
    return cells


def glossary_cells(outline: Outline) -> list[str]:
    from html import escape

    terms = "\n".join(f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>"
                      for term, meaning in outline.glossary().items())
    return ["# Glossary\n\nThe words and short forms used in this course, in plain language. "
            "[Back to the course home](index.ipynb)", f'<dl class="course-glossary">\n{terms}\n</dl>']


def navigation(outline: Outline, lesson_id: str) -> str:
    """Links to the course home, the glossary, and the lessons before and after in each track."""
    lines = ["[Course home](../index.ipynb) · [Glossary](../glossary.ipynb)"]
    for track in outline.tracks.values():
        if lesson_id not in track.lessons:
            continue
        i = track.lessons.index(lesson_id)
        parts = [f"**{TRACK_NAMES[track.id]}**, lesson {i + 1} of {len(track.lessons)}"]
        if i > 0:
            parts.append("previous: " + _link(outline, track.lessons[i - 1], "../"))
        parts.append("next: " + _link(outline, track.lessons[i + 1], "../") if i + 1 < len(track.lessons)
                     else "this is the last lesson of the track")
        lines.append(" · ".join(parts))
    return "  \n".join(lines)


def write_pages(outline: Outline, dest: Path) -> list[Path]:
    """Write the course home and the glossary into ``dest`` (a release or a workspace)."""
    written = []
    for name, title, cells in ((HOME, outline.title, home_cells(outline)),
                               (GLOSSARY, "Glossary", glossary_cells(outline))):
        nb = nbformat.v4.new_notebook(metadata={
            "title": title, "language_info": {"name": "python"},
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})
        nb.cells = [nbformat.v4.new_markdown_cell(text, id=f"page-{i:02d}") for i, text in enumerate(cells)]
        atomic_write(dest / name, nbformat.writes(nb) + "\n")
        written.append(dest / name)
    return written


def check_course(notebooks: Path) -> list[str]:
    """Everything ``course check`` and ``course release`` look at: lessons, tracks, navigation."""
    problems = check_lessons(notebooks)
    try:
        if stale := update_navigation(notebooks, write=False):
            problems.append(f"the navigation cells of {stale} are out of date: run 'course nav'")
        if stale := embed_pictures(notebooks, write=False):
            problems.append(f"the pictures in {stale} differ from assets/: run 'course nav'")
    except LessonError as exc:
        problems.append(str(exc))
    return problems + check_citations(notebooks) + _lab_only_problems(notebooks)


def _lab_only_problems(notebooks: Path) -> list[str]:
    """Text about JupyterLab's menus must be tagged so the web view (which has none) hides it."""
    return [f"{path.name}: a Markdown cell mentions JupyterLab; tag it {LAB_ONLY!r} so the web view hides it"
            for _lid, path, nb in _lesson_notebooks(notebooks) for cell in nb.cells
            if cell.cell_type == "markdown" and "JupyterLab" in cell.source
            and LAB_ONLY not in cell.get("metadata", {}).get("tags", [])]


# -- navigation cells in the lesson notebooks ------------------------------------------------------
def _lesson_notebooks(notebooks: Path):
    """``(lesson id, path, notebook)`` for every lesson that has its notebook."""
    for folder in lesson_folders(notebooks):
        path = lesson_notebook(folder)
        if path.exists():
            yield folder.name, path, nbformat.read(path, as_version=4)


def _rewrite(notebooks: Path, change, write: bool) -> list[str]:
    """Apply ``change(lesson_id, nb)`` to every lesson notebook; save (if ``write``) and name those
    that changed. ``course nav`` writes; ``course check`` only asks."""
    changed = []
    for lesson_id, path, nb in _lesson_notebooks(notebooks):
        before = nbformat.writes(nb)
        change(lesson_id, nb)
        if (after := nbformat.writes(nb)) != before:
            changed.append(lesson_id)
            if write:
                atomic_write(path, after + "\n")
    return changed


def update_navigation(notebooks: Path, write: bool = True) -> list[str]:
    """Put current navigation cells at the top and bottom of every lesson notebook.

    Returns the lessons whose navigation was (or, with ``write=False``, would be) changed.
    """
    outline = load_outline(notebooks)

    def change(lesson_id, nb):
        text = navigation(outline, lesson_id)
        cells = [c for c in nb.cells if _grade_id(c) not in (NAV_TOP, NAV_BOTTOM)]
        nb.cells = [_nav_cell(NAV_TOP, text), *cells, _nav_cell(NAV_BOTTOM, text)]

    return _rewrite(notebooks, change, write)


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _nav_cell(grade_id: str, text: str):
    cell = nbformat.v4.new_markdown_cell(text, id=grade_id)
    cell.metadata = nbformat.from_dict({
        "nbgrader": {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3, "solution": False},
        "tags": ["navigation"]})
    return cell


# -- pictures from assets/ --------------------------------------------------------------------------
_PICTURE = re.compile(r"!\[[^\]]*\]\(attachment:([^)\s]+)\)")


def embed_pictures(notebooks: Path, write: bool = True) -> list[str]:
    """Embed each ``![...](attachment:name)`` picture from ``assets/`` with its alt text.

    A cell attachment travels inside the notebook, so the same picture reaches JupyterLab, the
    student release and the web view without a path that works in one and breaks in another.
    Returns the lessons that were (or, with ``write=False``, would be) changed.
    """
    assets = notebooks.parent / "assets"
    alt_file = assets / "alt-text.yaml"
    alt = (yaml.safe_load(alt_file.read_text(encoding="utf-8")) or {}) if alt_file.exists() else {}

    def change(lesson_id, nb):
        for cell in nb.cells:
            names = _PICTURE.findall(cell.source) if cell.cell_type == "markdown" else []
            for name in names:
                if not (assets / name).is_file() or not alt.get(name):
                    raise LessonError(f"{lesson_id}.ipynb: the picture {name!r} needs a file in assets/ and "
                                      "its alt text in assets/alt-text.yaml")
            if names:
                cell.source = _PICTURE.sub(
                    lambda m: f"![{_one_line(alt[m.group(1)])}](attachment:{m.group(1)})", cell.source)
                cell["attachments"] = {name: {mimetypes.guess_type(name)[0] or "application/octet-stream":
                                              base64.b64encode((assets / name).read_bytes()).decode()}
                                       for name in names}

    return _rewrite(notebooks, change, write)


def _one_line(text: str) -> str:
    return " ".join(str(text).split()).replace("]", ")").replace("[", "(")
