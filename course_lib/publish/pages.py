"""The course's own pages, made from ``course.yaml`` and the lessons: the course home, the
glossary, the learner's progress page, and the navigation at the top and bottom of each lesson.

Links are relative Markdown links: they work the same in JupyterLab (which opens the linked
notebook) and in Voila (which renders it). Each edition gets only links to pages it has.

Every page is written in each of the course's languages (``index.ipynb``, ``index.es.ipynb``, ...),
from the outline in that language and the catalogs' words, and links to the same page in the
others; a page in one language links only to pages in that language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

import nbformat

from ..files import atomic_write
from ..i18n import ENGLISH, N_, Language
from ..i18n import language as language_of
from ..layout import COURSE_HOME, GLOSSARY, HOME, PROGRESS, TOOLS, in_language
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
    return f"[{lesson.title}]({prefix}{lesson_id}/{in_language(lesson_id + '.ipynb', outline.language)})"


def other_languages(name: str, here: str, languages: tuple[str, ...], prefix: str = "") -> str:
    """Links to the page ``name`` in each of ``languages`` but ``here``, each in its own language
    ("Español" on an English page), marked with its language for screen readers."""
    return " · ".join(f'<span lang="{code}">[{language_of(code).name}]({prefix}{in_language(name, code)})</span>'
                      for code in languages if code != here)


def _with_languages(line: str, name: str, outline: Outline, languages: tuple[str, ...], prefix: str = "") -> str:
    others = other_languages(name, outline.language, languages, prefix)
    return f"{line} · {others}" if others else line


def home_cells(outline: Outline, progress: bool, tools: list[ToolPage],
               places: Places = SELF_PACED_PLACES, languages: tuple[str, ...] = ()) -> list[str]:
    t = language_of(outline.language)
    minutes = sorted(lesson.minutes for lesson in outline.lessons.values()) or [0]
    first = (t._("Choose your track below and take the lessons in order. Each lesson takes {least} to {most} minutes. "
                 "Every answer is given with buttons and boxes: you never need to write code. Words you may not know "
                 "are explained in the [glossary]({glossary}).", least=minutes[0], most=minutes[-1],
                 glossary=in_language(GLOSSARY, t.code)))
    if progress:
        first += " " + t._("To see which lessons you have finished, open [My progress]({progress}).",
                           progress=in_language(PROGRESS, t.code))
    lines = [f"# {outline.title}\n\n{outline.summary}\n\n{first}"]
    if others := other_languages(HOME, t.code, languages):
        lines[0] = f"{others}\n\n{lines[0]}"
    for track in outline.tracks.values():
        items = [f"## {track.title}", "", track.intro, ""]
        for n, lid in enumerate(track.lessons, 1):
            items.append(f"{n}. {_link(outline, lid, places.pages_to_lessons)} "
                         + t._("(about {minutes} minutes)", minutes=outline.lessons[lid].minutes))
        lines.append("\n".join(items))
    if tools:
        intro = t._("Letters and sheets you fill in, then print or download:")
        if t.code != ENGLISH.code:
            intro += " " + t._("the letters to send are in English, each with the same letter in {language} for you.",
                               language=t.name_in(t.code))
        lines.append(f"## {t._('Tools to take away')}\n\n{intro}\n\n" + "\n".join(page.line(places.tools)
                                                                                 for page in tools))
    lines.append(f"## {t._('About this course')}\n\n" + t._(ABOUT))
    return lines


ABOUT = N_("Every statement about the law or about therapy practice says where it comes from, for example "
           "\"34 CFR 300.34(c)(6)\", a section of the federal rules for the IDEA (the Individuals with Disabilities "
           "Education Act). This course is general information, not legal advice. States add their own rules, so "
           "check your state's rules too. Every state has a Parent Training and Information Center that helps "
           "families for free (20 U.S.C. 1471).")


def glossary_cells(outline: Outline, languages: tuple[str, ...] = ()) -> list[str]:
    t = language_of(outline.language)
    terms = "\n".join(f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>"
                      for term, meaning in outline.glossary().items())
    back = t._("[Back to the course home]({home})", home=in_language(HOME, t.code))
    intro = t._("The words and short forms used in this course, in plain language.")
    return [f"# {t._('Glossary')}\n\n{intro} " + _with_languages(back, GLOSSARY, outline, languages),
            f'<dl class="course-glossary">\n{terms}\n</dl>']


def navigation(outline: Outline, lesson_id: str, places: Places = SELF_PACED_PLACES,
               languages: tuple[str, ...] = ()) -> str:
    """Links to the course home, the glossary, and the lessons before and after in each track, and to
    the lesson in its other ``languages``."""
    t = language_of(outline.language)
    up, home = "../", places.lesson_to_pages
    top = t._("[Course home]({home}) · [Glossary]({glossary})", home=home + in_language(HOME, t.code),
              glossary=home + in_language(GLOSSARY, t.code))
    lines = [_with_languages(top, f"{lesson_id}.ipynb", outline, languages)]
    for track in outline.tracks.values():
        if lesson_id not in track.lessons:
            continue
        i = track.lessons.index(lesson_id)
        parts = [t._("**{track}**, lesson {n} of {total}", track=t._(track.name), n=i + 1, total=len(track.lessons))]
        if i > 0:
            parts.append(t._("previous: {lesson}", lesson=_link(outline, track.lessons[i - 1], up)))
        parts.append(t._("next: {lesson}", lesson=_link(outline, track.lessons[i + 1], up))
                     if i + 1 < len(track.lessons) else t._("this is the last lesson of the track"))
        lines.append(" · ".join(parts))
    return "  \n".join(lines)


def tool_navigation(places: Places = SELF_PACED_PLACES, t: Language = ENGLISH) -> str:
    up = places.tools_to_pages
    return t._("[Course home]({home}) · [Glossary]({glossary})", home=up + in_language(HOME, t.code),
               glossary=up + in_language(GLOSSARY, t.code))


def write_pages(outline: Outline, dest: Path, progress: bool, tools: list[ToolPage],
                places: Places = SELF_PACED_PLACES, languages: tuple[str, ...] = ()) -> list[Path]:
    """Write the course home, the glossary and (for a learner's own copy) the progress page into
    ``dest``, the edition's pages folder, in the outline's language; each links to itself in the
    other ``languages``."""
    t = language_of(outline.language)
    dest.mkdir(parents=True, exist_ok=True)
    home = home_cells(outline, progress, tools, places, languages)
    remember = nbformat.v4.new_code_cell(f"from course_lib import preference\n\npreference.remember({t.code!r})")
    pages = [(HOME, outline.title, [remember, *(nbformat.v4.new_markdown_cell(c) for c in home)]),
             (GLOSSARY, t._("Glossary"),
              [nbformat.v4.new_markdown_cell(c) for c in glossary_cells(outline, languages)])]
    if progress:
        nav = _with_languages(tool_navigation(Places(tools=""), t), PROGRESS, outline, languages)
        call = "progress.page()" if t.code == ENGLISH.code else f"progress.page(language={t.code!r})"
        pages.append((PROGRESS, t._("My progress"), [
            nbformat.v4.new_markdown_cell(nav),
            nbformat.v4.new_code_cell(f"from course_lib import progress\n\n{call}")]))
    written = []
    for name, title, cells in pages:
        nb = nbformat.v4.new_notebook(metadata={"title": title, "kernelspec": KERNELSPEC,
                                                "language_info": {"name": "python"}})
        for i, cell in enumerate(cells):
            cell["id"] = f"page-{i:02d}"
        nb.cells = cells
        self_contained(nb)
        # a course page: the learner's JupyterLab runs it
        mark_course_notebook(nb, language=t.code, page=Path(name).stem)  # the page (its language is said apart)
        atomic_write(dest / in_language(name, t.code), nbformat.writes(nb) + "\n")
        written.append(dest / in_language(name, t.code))
    return written
