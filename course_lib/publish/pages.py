"""The course's own pages, made from ``course.yaml`` and the lessons: the course home, the
glossary, the learner's progress page, and the navigation at the top and bottom of each lesson.

Links are relative Markdown links: they work the same in JupyterLab (which opens the linked
notebook) and in Voila (which renders it). Each edition gets only links to pages it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import nbformat

from ..files import atomic_write
from ..layout import COURSE_HOME, GLOSSARY, HOME, PROGRESS, TOOLS
from ..outline import Outline
from .notebooks import KERNELSPEC, mark_course_notebook, self_contained

_TOOL_CALL = re.compile(r"\btools\.(\w+)\(")


@dataclass(frozen=True)
class ToolPage:
    """A page of tools, as the course home and the README name it: its notebook's own heading, and
    what its tools make (from ``tools.yaml``: every letter counted and named)."""

    name: str  # the notebook's file name in the tools folder
    title: str
    summary: str

    @staticmethod
    def of(nb, name: str, summaries: dict[str, str]) -> ToolPage:
        """``nb``'s heading, and the summary of each tool it draws (``tools.letter_builder()``)."""
        text = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), Path(name).stem)
        calls = [m for c in nb.cells if c.cell_type == "code" for m in _TOOL_CALL.findall(c.source)]
        made = [summaries[c] for c in calls if c in summaries and summaries[c].casefold() != title.casefold()]
        return ToolPage(name, title, "; ".join(made))

    def line(self, folder: str) -> str:
        """One Markdown list line linking to the page in ``folder``."""
        return f"- [{self.title}]({folder}{self.name})" + (f": {self.summary}" if self.summary else "")


@dataclass(frozen=True)
class Places:
    """Where an edition keeps its course pages (home, glossary, tools), so its links lead somewhere.

    The self-paced edition keeps them at its top, beside the lessons, with the tools in ``tools/``.
    The cohort edition keeps them in an assignment of their own, ``00-course-home``, tools beside
    them: nbgrader's exchange hands out assignments only, so that is how they reach learners."""

    pages: str = ""  # the pages' folder, from the edition's top ("" or "00-course-home/")
    tools: str = f"{TOOLS}/"  # the tools' folder, from the pages' folder

    @property
    def lesson_to_pages(self) -> str:
        return f"../{self.pages}"

    @property
    def pages_to_lessons(self) -> str:
        return "../" if self.pages else ""

    @property
    def tools_to_pages(self) -> str:
        return "../" if self.tools else ""


SELF_PACED_PLACES = Places()
COHORT_PLACES = Places(pages=f"{COURSE_HOME}/", tools="")


def _link(outline: Outline, lesson_id: str, prefix: str) -> str:
    lesson = outline.lessons[lesson_id]
    return f"[{lesson.title}]({prefix}{lesson_id}/{lesson_id}.ipynb)"


def home_cells(outline: Outline, progress: bool, tools: list[ToolPage],
               places: Places = SELF_PACED_PLACES) -> list[str]:
    minutes = sorted(lesson.minutes for lesson in outline.lessons.values())
    lines = [f"# {outline.title}\n\n{outline.summary}\n\n"
             f"Choose your track below and take the lessons in order. Each lesson takes {minutes[0]} to "
             f"{minutes[-1]} minutes. Every answer is given with buttons and boxes: you never need to write code. "
             f"Words you may not know are explained in the [glossary]({GLOSSARY})."]
    if progress:
        lines[0] += f" To see which lessons you have finished, open [My progress]({PROGRESS})."
    for track in outline.tracks.values():
        items = [f"## {track.title}", "", track.intro, ""]
        for n, lid in enumerate(track.lessons, 1):
            items.append(f"{n}. {_link(outline, lid, places.pages_to_lessons)} "
                         f"(about {outline.lessons[lid].minutes} minutes)")
        lines.append("\n".join(items))
    if tools:
        lines.append("## Tools to take away\n\nLetters and sheets you fill in, then print or download:\n\n"
                     + "\n".join(page.line(places.tools) for page in tools))
    lines.append("## About this course\n\nEvery statement about the law or about therapy practice says where it "
                 "comes from, for example \"34 CFR 300.34(c)(6)\", a section of the federal rules for the "
                 "IDEA (the Individuals with Disabilities Education Act). This course is general information, "
                 "not legal advice. States add their own rules, so check your state's rules too. Every state "
                 "has a Parent Training and Information Center that helps families for free "
                 "(20 U.S.C. 1471).")
    return lines


def glossary_cells(outline: Outline) -> list[str]:
    terms = "\n".join(f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>"
                      for term, meaning in outline.glossary().items())
    return ["# Glossary\n\nThe words and short forms used in this course, in plain language. "
            f"[Back to the course home]({HOME})", f'<dl class="course-glossary">\n{terms}\n</dl>']


def navigation(outline: Outline, lesson_id: str, places: Places = SELF_PACED_PLACES) -> str:
    """Links to the course home, the glossary, and the lessons before and after in each track."""
    up, home = "../", places.lesson_to_pages
    lines = [f"[Course home]({home}{HOME}) · [Glossary]({home}{GLOSSARY})"]
    for track in outline.tracks.values():
        if lesson_id not in track.lessons:
            continue
        i = track.lessons.index(lesson_id)
        parts = [f"**{track.name}**, lesson {i + 1} of {len(track.lessons)}"]
        if i > 0:
            parts.append("previous: " + _link(outline, track.lessons[i - 1], up))
        parts.append("next: " + _link(outline, track.lessons[i + 1], up) if i + 1 < len(track.lessons)
                     else "this is the last lesson of the track")
        lines.append(" · ".join(parts))
    return "  \n".join(lines)


def tool_navigation(places: Places = SELF_PACED_PLACES) -> str:
    up = places.tools_to_pages
    return f"[Course home]({up}{HOME}) · [Glossary]({up}{GLOSSARY})"


def write_pages(outline: Outline, dest: Path, progress: bool, tools: list[ToolPage],
                places: Places = SELF_PACED_PLACES) -> list[Path]:
    """Write the course home, the glossary and (for a learner's own copy) the progress page into
    ``dest``, the edition's pages folder."""
    dest.mkdir(parents=True, exist_ok=True)
    home = home_cells(outline, progress, tools, places)
    pages = [(HOME, outline.title, [nbformat.v4.new_markdown_cell(t) for t in home]),
             (GLOSSARY, "Glossary", [nbformat.v4.new_markdown_cell(t) for t in glossary_cells(outline)])]
    if progress:
        pages.append((PROGRESS, "My progress", [
            nbformat.v4.new_markdown_cell(f"[Course home]({HOME}) · [Glossary]({GLOSSARY})"),
            nbformat.v4.new_code_cell("from course_lib import progress\n\nprogress.page()")]))
    written = []
    for name, title, cells in pages:
        nb = nbformat.v4.new_notebook(metadata={"title": title, "kernelspec": KERNELSPEC,
                                                "language_info": {"name": "python"}})
        for i, cell in enumerate(cells):
            cell["id"] = f"page-{i:02d}"
        nb.cells = cells
        self_contained(nb)
        mark_course_notebook(nb, page=Path(name).stem)  # a course page: the learner's JupyterLab runs it
        atomic_write(dest / name, nbformat.writes(nb) + "\n")
        written.append(dest / name)
    return written
