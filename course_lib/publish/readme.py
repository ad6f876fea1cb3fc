"""The parts of the README that come from the course's data: the lessons of each track, and the tools.

Each is written between two markers (``<!-- begin generated: lessons ... -->`` and
``<!-- end generated: lessons -->``), so a new lesson, a changed title or a new letter cannot
leave the README behind: ``course readme`` rewrites them, and a test fails while they are stale.
"""

from __future__ import annotations

import re

import nbformat

from ..layout import CourseLayout
from ..outline import load_outline
from ..tools.content import load_tools
from .pages import ToolPage

README = "README.md"
_BLOCK = re.compile(r"(<!-- begin generated: (?P<name>[\w-]+)[^>]*-->\n)(?P<body>.*?)"
                    r"(<!-- end generated: (?P=name) -->)", re.S)


def lesson_table(layout: CourseLayout) -> str:
    """Every lesson, and its place in each track."""
    outline = load_outline(layout.notebooks)
    tracks = list(outline.tracks.values())
    def row(cells) -> str:
        return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|\n"

    head = row(["#", "lesson", *(t.name[:1].lower() + t.name[1:] for t in tracks)]) + "|---" * (2 + len(tracks)) + "|\n"
    return head + "".join(row([lid.split("-", 1)[0], lesson.title,
                               *(str(t.lessons.index(lid) + 1) if lid in t.lessons else "" for t in tracks)])
                          for lid, lesson in outline.lessons.items())


def tool_list(layout: CourseLayout) -> str:
    """Every page of tools, with what it makes (every letter counted and named), from ``tools.yaml``."""
    summaries = load_tools(layout.tools).summaries()
    folder = layout.tools.relative_to(layout.root).as_posix() + "/"
    pages = [ToolPage.of(nbformat.read(path, as_version=4), path.name, summaries)
             for path in sorted(layout.tools.glob("*.ipynb"))]
    return "\n".join(page.line(folder) for page in pages) + "\n"


SECTIONS = {"lessons": lesson_table, "tools": tool_list}


def refreshed(text: str, layout: CourseLayout) -> str:
    """``text`` (a README) with every generated part made afresh; an unknown part is an error."""
    def fresh(m: re.Match) -> str:
        if m["name"] not in SECTIONS:
            raise ValueError(f"{README}: no generated part is called {m['name']!r} (known: {', '.join(SECTIONS)})")
        return m.group(1) + SECTIONS[m["name"]](layout) + m.group(4)

    return _BLOCK.sub(fresh, text)


def stale_parts(layout: CourseLayout) -> list[str]:
    """The generated parts of the README that no longer match the data (empty when all are fresh)."""
    text = (layout.root / README).read_text(encoding="utf-8")
    found = {m["name"]: m["body"] for m in _BLOCK.finditer(text)}
    if missing := [name for name in SECTIONS if name not in found]:
        raise ValueError(f"{README} lacks the markers of its generated parts {missing}: "
                         f"<!-- begin generated: {missing[0]} --> ... <!-- end generated: {missing[0]} -->")
    return [name for name, make in SECTIONS.items() if found[name] != make(layout)]


def update_readme(layout: CourseLayout) -> list[str]:
    """Rewrite the README's generated parts; returns the names of those that changed."""
    path = layout.root / README
    stale = stale_parts(layout)
    if stale:
        path.write_text(refreshed(path.read_text(encoding="utf-8"), layout), encoding="utf-8")
    return stale
