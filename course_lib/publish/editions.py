"""Write each edition of the course from the source, one step at a time.

* :func:`write_nbgrader_source`: ``grading/source/``, the instructor edition nbgrader reads (keys,
  hidden test cells worth each question's points, rubric cells, nbgrader metadata, navigation);
* :func:`withhold_keys`: after nbgrader has made ``grading/release/``, the release's lesson data
  loses every key, ``why``, graded feedback and rubric (the cohort edition);
* :func:`write_self_paced`: ``build/self-paced/``, for a learner alone and for the web view: the
  lessons with their keys, the course pages with the learner's progress, and the tools;
* :func:`write_cohort_view`: ``build/cohort-view/``, the web view for a class: the same pages with
  the cohort's lesson data, so not one key is on the server.

A lesson in another language is a second notebook in the same folder, ``01-what-is-ot.es.ipynb``
(the English notebook's Markdown cells replaced by their translations, by cell id), with the
translation's words for the edition's data beside ``lesson.yaml`` (``lesson.es.yaml``: a cohort's
without the words of what it withholds). Both notebooks share the lesson's ``my-answers.json``.
nbgrader grades the English notebook only: the translations join the release after nbgrader has
made it (:func:`write_translated_release`), so nbgrader's gradebook has one notebook per lesson,
and the learner's language is read from their answers file at grading (docs/design.md).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import yaml

from .. import translation
from ..content import dump, parse_lesson, read_raw, with_edition
from ..files import atomic_write, parse_yaml
from ..i18n import DEFAULT
from ..i18n import language as language_of
from ..layout import ALT_TEXT_FILE, COURSE_FILE, COURSE_HOME, LESSON_FILE, CourseLayout, in_language
from ..outline import Outline, course_languages, load_outline
from ..tools.content import load_tools, translation_name
from . import notebooks as nbs
from .pages import (
    COHORT_PLACES,
    SELF_PACED_PLACES,
    Places,
    ToolPage,
    navigation,
    other_languages,
    tool_navigation,
    write_pages,
)


class Course:
    """The course in each of its languages, read once for an edition: ``outlines[code]``."""

    def __init__(self, layout: CourseLayout):
        self.layout = layout
        self.languages = course_languages(layout.notebooks)
        self.outlines = {code: load_outline(layout.notebooks, code) for code in self.languages}

    def lesson_languages(self, lid: str) -> tuple[str, ...]:
        """The languages ``lid`` is written in: English, and each whose outline has it."""
        return tuple(code for code in self.languages if lid in self.outlines[code].lessons)


def write_lesson(layout: CourseLayout, course: Course, lid: str, dest_root: Path, edition: str,
                 places: Places = SELF_PACED_PLACES, translated: bool = True) -> Path:
    """One lesson folder of an edition: its data (with or without keys), its notebook in every language
    (``translated=False``: English only, the rest comes later), its pictures."""
    raw = read_raw(layout.lesson(lid))
    content = parse_lesson(raw, f"{lid}/{LESSON_FILE}")
    dest = dest_root / lid
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    atomic_write(dest / LESSON_FILE, f"# Generated from notebooks/{lid}/{LESSON_FILE} by course build: edit "
                                     "that file, not this one.\n" + dump(with_edition(raw, edition)))
    languages = course.lesson_languages(lid)
    nb = nbformat.read(layout.lesson_notebook(lid), as_version=4)
    calls, _problems = nbs.element_calls(nb)
    nbs.self_contained(nb)
    if edition == "source":
        nbs.grading_cells(nb, content)
    nbs.add_navigation(nb, navigation(course.outlines[DEFAULT], lid, places, languages))
    if edition == "source":
        nbs.lock_cells(nb)
    nbs.mark_course_notebook(nb, lesson=lid)
    atomic_write(dest / f"{lid}.ipynb", nbformat.writes(nb) + "\n")
    for code in languages[1:]:
        write_translation(layout, course, lid, dest, code, edition, places, notebook=translated)
    _copy_pictures(layout, [c.arg for c in calls if c.method == "picture"], dest / "assets", languages)
    return dest


def write_translation(layout: CourseLayout, course: Course, lid: str, dest: Path, code: str, edition: str,
                      places: Places, notebook: bool = True) -> None:
    """The lesson in language ``code`` in an edition's lesson folder ``dest``: the translation's words for
    the edition's data, and (``notebook``) the notebook in that language, never with grading cells."""
    folder = layout.lesson(lid)
    raw, tr = read_raw(folder), translation.load_translation(folder, code)
    _raw, cells = translation.translate(raw, translation.notebook_cells(layout.lesson_notebook(lid)), tr,
                                        str(translation.translation_file(folder, code)))
    atomic_write(translation.translation_file(dest, code),
                 f"# Generated from notebooks/{lid}/{translation.translation_file(folder, code).name} by course "
                 "build: edit that file, not this one.\n"
                 + dump(translation.for_edition(with_edition(raw, edition), tr)))
    if not notebook:
        return
    nb = nbformat.read(layout.lesson_notebook(lid), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.get("id") in cells:
            cell.source = cells[cell["id"]]
    nbs.self_contained(nb, code)
    nbs.add_navigation(nb, navigation(course.outlines[code], lid, places, course.lesson_languages(lid)))
    nbs.mark_course_notebook(nb, language=code, lesson=lid)
    nb.metadata["title"] = course.outlines[code].lessons[lid].title
    atomic_write(dest / in_language(f"{lid}.ipynb", code), nbformat.writes(nb) + "\n")


def _copy_pictures(layout: CourseLayout, names: list[str], dest: Path, languages: tuple[str, ...] = (DEFAULT,)) -> None:
    """The lesson's pictures, each in every language of the lesson (``x.es.svg``), with their alt text."""
    if not names:
        return
    dest.mkdir(parents=True, exist_ok=True)
    for code in languages:
        shown = [in_language(name, code) for name in names]
        alt_file = in_language(ALT_TEXT_FILE, code)
        alt = parse_yaml((layout.assets / alt_file).read_text(encoding="utf-8")) or {}
        for name in shown:
            shutil.copy2(layout.assets / name, dest / name)
        atomic_write(dest / alt_file, yaml.safe_dump({n: alt[n] for n in shown}, allow_unicode=True, width=100))


def write_tools(layout: CourseLayout, pages_folder: Path, places: Places,
                languages: tuple[str, ...] = (DEFAULT,)) -> dict[str, list[ToolPage]]:
    """The tools (letters and sheets), with navigation, where ``places`` keeps them, each notebook in every
    one of ``languages`` (``letters.es.ipynb``: the Markdown from ``tools.es.yaml``'s ``cells``, each tool
    drawn in that language); returns their pages by language, as the course home lists them."""
    if not layout.tools.is_dir():
        return {code: [] for code in languages}
    dest = pages_folder / places.tools
    if places.tools and dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(layout.tools, dest, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("my-answers*", "*.ipynb", ".ipynb_checkpoints"))
    pages: dict[str, list[ToolPage]] = {}
    for code in languages:
        tools = load_tools(layout.tools, code)
        cells = {} if code == DEFAULT else translation.load_translation(
            layout.tools, code, translation_name(code)).get("cells") or {}
        pages[code] = []
        for path in sorted(layout.tools.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown" and cell.get("id") in cells:
                    cell.source = cells[cell["id"]]
                elif cell.cell_type == "code" and code != DEFAULT:
                    cell.source = _TOOL_CALL.sub(rf"tools.\1(language={code!r})", cell.source)
            page = ToolPage.of(nb, in_language(path.name, code), tools.summaries())
            pages[code].append(page)
            nbs.self_contained(nb)
            others = other_languages(path.name, code, languages)
            nbs.add_navigation(nb, tool_navigation(places, language_of(code)) + (f" · {others}" if others else ""))
            nbs.mark_course_notebook(nb, language=code, **(nb.metadata.get("course") or {"page": f"tools/{path.stem}"}))
            nb.metadata["title"] = page.title
            atomic_write(dest / in_language(path.name, code), nbformat.writes(nb) + "\n")
    return pages


_TOOL_CALL = re.compile(r"\btools\.(\w+)\(\)")  # tools.letter_builder(): a tool drawn in the notebook's language


# -- the steps ---------------------------------------------------------------------------------------
def write_nbgrader_source(layout: CourseLayout) -> str:
    """The lessons, and the course pages as an assignment of their own (``00-course-home``), so that
    learners who fetch lessons through nbgrader's exchange can fetch the home, glossary and tools.
    A lesson's translations are here as words only (nbgrader copies them over a hand-in at autograde,
    so the feedback can speak the learner's language); their notebooks join the release later."""
    course = Course(layout)
    outline = course.outlines[DEFAULT]
    for lid in outline.lessons:
        write_lesson(layout, course, lid, layout.source, "source", COHORT_PLACES, translated=False)
    _remove_stale(layout.source, outline)
    home = layout.source / COURSE_HOME
    if home.exists():
        shutil.rmtree(home)
    tools = write_tools(layout, home, COHORT_PLACES, course.languages)
    for code in course.languages:
        write_pages(course.outlines[code], home, progress=False, tools=tools[code], places=COHORT_PLACES,
                    languages=course.languages)
    return f"wrote nbgrader's source for {len(outline.lessons)} lessons and the course pages in {layout.source}"


def withhold_keys(layout: CourseLayout) -> str:
    """The cohort edition: the release's lesson data without keys (nbgrader copied it with them), and
    its translations without the words of what is withheld."""
    done = 0
    for path in sorted(layout.release.glob(f"*/{LESSON_FILE}")):
        raw = read_raw(path.parent)
        atomic_write(path, f"# Generated by course build from notebooks/{path.parent.name}/{LESSON_FILE}.\n"
                           + dump(with_edition(raw, "cohort")))
        for tr_path in sorted(path.parent.glob("lesson.*.yaml")):
            tr = translation.load_translation(path.parent, "", tr_path.name)
            atomic_write(tr_path, f"# Generated by course build from notebooks/{path.parent.name}/{tr_path.name}.\n"
                                  + dump(translation.for_edition(with_edition(raw, "cohort"), tr)))
        done += 1
    return f"withheld the answer keys of {done} lessons from the release"


def write_translated_release(layout: CourseLayout) -> str:
    """Each lesson's notebook in its other languages, into the release nbgrader has made: never graded
    by nbgrader (the English notebook is, from the same answers file), so never in its gradebook."""
    course = Course(layout)
    done = 0
    for lid in course.outlines[DEFAULT].lessons:
        dest = layout.release / lid
        for code in course.lesson_languages(lid)[1:]:
            write_translation(layout, course, lid, dest, code, "cohort", COHORT_PLACES)
            done += 1
    return f"added {done} lesson(s) in other languages to the release ({', '.join(course.languages[1:]) or 'none'})"


def write_self_paced(layout: CourseLayout) -> str:
    course = Course(layout)
    dest = _write_for_learners(layout, course, layout.self_paced, "self-paced")
    return (f"wrote the self-paced edition ({len(course.outlines[DEFAULT].lessons)} lessons, in "
            f"{', '.join(course.languages)}) in {dest}")


def write_cohort_view(layout: CourseLayout) -> str:
    """The web view for a class: laid out as the self-paced edition, with the cohort's lesson data (no keys)."""
    course = Course(layout)
    dest = _write_for_learners(layout, course, layout.cohort_view, "cohort")
    return (f"wrote the web view without answer keys ({len(course.outlines[DEFAULT].lessons)} lessons, in "
            f"{', '.join(course.languages)}) in {dest}")


def _write_for_learners(layout: CourseLayout, course: Course, dest: Path, edition: str) -> Path:
    outline = course.outlines[DEFAULT]
    dest.mkdir(parents=True, exist_ok=True)
    for lid in outline.lessons:
        write_lesson(layout, course, lid, dest, edition)
    _remove_stale(dest, outline)
    for stale in dest.glob("course.*.yaml"):
        stale.unlink()
    shutil.copy2(layout.course_file, dest / COURSE_FILE)
    for code in course.languages[1:]:
        shutil.copy2(layout.notebooks / f"course.{code}.yaml", dest / f"course.{code}.yaml")
    tools = write_tools(layout, dest, SELF_PACED_PLACES, course.languages)
    for stale in (*dest.glob("index.*.ipynb"), *dest.glob("glossary.*.ipynb"), *dest.glob("progress.*.ipynb")):
        stale.unlink()
    for code in course.languages:
        write_pages(course.outlines[code], dest, progress=edition != "cohort", tools=tools[code],
                    places=SELF_PACED_PLACES, languages=course.languages)
    return dest


def _remove_stale(dest_root: Path, outline: Outline) -> None:
    """A lesson removed from the course leaves no old copy behind in a generated edition."""
    for folder in dest_root.iterdir():
        if folder.is_dir() and folder.name[:1].isdigit() and folder.name not in (*outline.lessons, COURSE_HOME):
            shutil.rmtree(folder)
