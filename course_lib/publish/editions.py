"""Write each edition of the course from the source, one step at a time.

* :func:`write_nbgrader_source`: ``grading/source/``, the instructor edition nbgrader reads (keys,
  hidden test cells worth each question's points, rubric cells, nbgrader metadata, navigation);
* :func:`withhold_keys`: after nbgrader has made ``grading/release/``, the release's lesson data
  loses every key, ``why``, graded feedback and rubric (the cohort edition);
* :func:`write_self_paced`: ``build/self-paced/``, for a learner alone and for the web view: the
  lessons with their keys, the course pages with the learner's progress, and the tools;
* :func:`write_cohort_view`: ``build/cohort-view/``, the web view for a class: the same pages with
  the cohort's lesson data, so not one key is on the server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import yaml

from ..content import dump, parse_lesson, read_raw, with_edition
from ..files import atomic_write
from ..layout import ALT_TEXT_FILE, COURSE_FILE, COURSE_HOME, LESSON_FILE, CourseLayout
from ..outline import Outline, load_outline
from . import notebooks as nbs
from .pages import COHORT_PLACES, SELF_PACED_PLACES, Places, navigation, tool_navigation, write_pages


def write_lesson(layout: CourseLayout, outline: Outline, lid: str, dest_root: Path, edition: str,
                 places: Places = SELF_PACED_PLACES) -> Path:
    """One lesson folder of an edition: its data (with or without keys), its notebook, its pictures."""
    raw = read_raw(layout.lesson(lid))
    content = parse_lesson(raw, f"{lid}/{LESSON_FILE}")
    dest = dest_root / lid
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    atomic_write(dest / LESSON_FILE, f"# Generated from notebooks/{lid}/{LESSON_FILE} by course build: edit "
                                     "that file, not this one.\n" + dump(with_edition(raw, edition)))
    nb = nbformat.read(layout.lesson_notebook(lid), as_version=4)
    calls, _problems = nbs.element_calls(nb)
    nbs.self_contained(nb)
    if edition == "source":
        nbs.grading_cells(nb, content)
    nbs.add_navigation(nb, navigation(outline, lid, places))
    if edition == "source":
        nbs.lock_cells(nb)
    nbs.mark_course_notebook(nb, lesson=lid)
    atomic_write(dest / f"{lid}.ipynb", nbformat.writes(nb) + "\n")
    _copy_pictures(layout, [c.arg for c in calls if c.method == "picture"], dest / "assets")
    return dest


def _copy_pictures(layout: CourseLayout, names: list[str], dest: Path) -> None:
    if not names:
        return
    dest.mkdir(parents=True, exist_ok=True)
    alt = yaml.safe_load(layout.alt_text_file.read_text(encoding="utf-8")) or {}
    for name in names:
        shutil.copy2(layout.assets / name, dest / name)
    atomic_write(dest / ALT_TEXT_FILE, yaml.safe_dump({n: alt[n] for n in names}, allow_unicode=True, width=100))


def write_tools(layout: CourseLayout, pages_folder: Path, places: Places) -> list[str]:
    """The tools (letters and sheets), with navigation, where ``places`` keeps them; returns their
    pages' file names."""
    if not layout.tools.is_dir():
        return []
    dest = pages_folder / places.tools
    if places.tools and dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(layout.tools, dest, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("my-answers*", "*.ipynb", ".ipynb_checkpoints"))
    pages = []
    for path in sorted(layout.tools.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbs.self_contained(nb)
        nbs.add_navigation(nb, tool_navigation(places))
        nbs.mark_course_notebook(nb, **(nb.metadata.get("course") or {"page": f"tools/{path.stem}"}))
        atomic_write(dest / path.name, nbformat.writes(nb) + "\n")
        pages.append(path.name)
    return pages


# -- the steps ---------------------------------------------------------------------------------------
def write_nbgrader_source(layout: CourseLayout) -> str:
    """The lessons, and the course pages as an assignment of their own (``00-course-home``), so that
    learners who fetch lessons through nbgrader's exchange can fetch the home, glossary and tools."""
    outline = load_outline(layout.notebooks)
    for lid in outline.lessons:
        write_lesson(layout, outline, lid, layout.source, "source", COHORT_PLACES)
    _remove_stale(layout.source, outline)
    home = layout.source / COURSE_HOME
    if home.exists():
        shutil.rmtree(home)
    tools = write_tools(layout, home, COHORT_PLACES)
    write_pages(outline, home, progress=False, tools=tools, places=COHORT_PLACES)
    return f"wrote nbgrader's source for {len(outline.lessons)} lessons and the course pages in {layout.source}"


def withhold_keys(layout: CourseLayout) -> str:
    """The cohort edition: the release's lesson data without keys (nbgrader copied it with them)."""
    done = 0
    for path in sorted(layout.release.glob(f"*/{LESSON_FILE}")):
        raw = read_raw(path.parent)
        atomic_write(path, f"# Generated by course build from notebooks/{path.parent.name}/{LESSON_FILE}.\n"
                           + dump(with_edition(raw, "cohort")))
        done += 1
    return f"withheld the answer keys of {done} lessons from the release"


def write_self_paced(layout: CourseLayout) -> str:
    dest = _write_for_learners(layout, layout.self_paced, "self-paced")
    return f"wrote the self-paced edition ({len(layout.lesson_ids)} lessons) in {dest}"


def write_cohort_view(layout: CourseLayout) -> str:
    """The web view for a class: laid out as the self-paced edition, with the cohort's lesson data (no keys)."""
    dest = _write_for_learners(layout, layout.cohort_view, "cohort")
    return f"wrote the web view without answer keys ({len(layout.lesson_ids)} lessons) in {dest}"


def _write_for_learners(layout: CourseLayout, dest: Path, edition: str) -> Path:
    outline = load_outline(layout.notebooks)
    dest.mkdir(parents=True, exist_ok=True)
    for lid in outline.lessons:
        write_lesson(layout, outline, lid, dest, edition)
    _remove_stale(dest, outline)
    shutil.copy2(layout.course_file, dest / COURSE_FILE)
    tools = write_tools(layout, dest, SELF_PACED_PLACES)
    write_pages(outline, dest, progress=edition != "cohort", tools=tools, places=SELF_PACED_PLACES)
    return dest


def _remove_stale(dest_root: Path, outline: Outline) -> None:
    """A lesson removed from the course leaves no old copy behind in a generated edition."""
    for folder in dest_root.iterdir():
        if folder.is_dir() and folder.name[:1].isdigit() and folder.name not in (*outline.lessons, COURSE_HOME):
            shutil.rmtree(folder)
