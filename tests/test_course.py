"""The course as a whole: its tracks, the course home, the glossary and the links between lessons."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT

from course_lib.checks import lesson_notebook
from course_lib.content import LessonError
from course_lib.course import check_course, load_outline, navigation, update_navigation

FIRST = "01-what-is-ot"
LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)\)")


def make_course(root: Path, tracks: dict[str, list[str]], extra: tuple[str, ...] = ()) -> Path:
    """A course of copies of lesson 01 under other ids, with ``tracks`` as its outline."""
    notebooks = root / "notebooks"
    for lid in sorted({*extra, *(lid for ids in tracks.values() for lid in ids)}):
        folder = shutil.copytree(ROOT / "notebooks" / FIRST, notebooks / lid,
                                 ignore=shutil.ignore_patterns("my-answers*"))
        data = (folder / "lesson.yaml").read_text(encoding="utf-8")
        (folder / "lesson.yaml").write_text(data.replace(f"id: {FIRST}", f"id: {lid}")
                                            .replace("title: What is", f"title: {lid} What is"), encoding="utf-8")
        (folder / f"{FIRST}.ipynb").rename(folder / f"{lid}.ipynb")
    outline = {"title": "Test course", "summary": "For tests.",
               "tracks": {t: {"title": f"Track {t}", "lessons": ids} for t, ids in tracks.items()}}
    (notebooks / "course.yaml").write_text(yaml.safe_dump(outline), encoding="utf-8")
    shutil.copy(ROOT / "notebooks" / "citations.yaml", notebooks)
    shutil.copytree(ROOT / "assets", root / "assets")
    return notebooks


def test_every_lesson_of_the_course_is_in_a_track_and_its_navigation_is_current():
    outline = load_outline(ROOT / "notebooks")
    assert set(outline.tracks) == {"parent", "aide"}
    assert {lid for t in outline.tracks.values() for lid in t.lessons} == set(outline.lessons)
    assert check_course(ROOT / "notebooks") == []


def test_a_track_that_names_a_missing_lesson_is_refused_by_name(tmp_path):
    notebooks = make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]})
    (notebooks / "course.yaml").write_text(
        (notebooks / "course.yaml").read_text().replace("- 01-a", "- 01-a\n    - 07-gone", 1))
    with pytest.raises(LessonError, match="07-gone"):
        load_outline(notebooks)


def test_a_lesson_in_no_track_is_reported(tmp_path):
    notebooks = make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]}, extra=("02-lost",))
    assert any("02-lost" in p and "no track" in p for p in check_course(notebooks))


def test_each_lesson_links_home_glossary_and_its_neighbours_in_each_track(tmp_path):
    outline = load_outline(make_course(tmp_path, {"parent": ["01-a", "02-b", "03-c"], "aide": ["01-a", "03-c"]}))
    middle = navigation(outline, "02-b")
    assert "[Course home](../index.ipynb)" in middle and "(../glossary.ipynb)" in middle
    assert "lesson 2 of 3" in middle
    assert "previous: [01-a What is" in middle and "(../01-a/01-a.ipynb)" in middle
    assert "next: [03-c What is" in middle and "(../03-c/03-c.ipynb)" in middle
    assert "Aides' track" not in middle  # 02-b is not in the aides' track
    last = navigation(outline, "03-c")
    assert "Parents' track**, lesson 3 of 3" in last and "Aides' track**, lesson 2 of 2" in last
    assert last.count("last lesson of the track") == 2


def test_navigation_cells_are_written_once_locked_and_flagged_when_the_outline_changes(tmp_path):
    notebooks = make_course(tmp_path, {"parent": ["01-a", "02-b"], "aide": ["01-a", "02-b"]})
    assert any("run 'course nav'" in p for p in check_course(notebooks))
    assert update_navigation(notebooks) == ["01-a", "02-b"]
    assert update_navigation(notebooks) == []  # nothing left to change
    assert check_course(notebooks) == []
    cells = json.loads(lesson_notebook(notebooks / "01-a").read_text())["cells"]
    for cell in (cells[0], cells[-1]):
        assert cell["metadata"]["nbgrader"]["locked"] is True
        assert "next: [02-b" in "".join(cell["source"])
    assert sum("navigation" in c["metadata"].get("tags", []) for c in cells) == 2

    (notebooks / "course.yaml").write_text(
        (notebooks / "course.yaml").read_text().replace("- 01-a\n    - 02-b", "- 02-b\n    - 01-a", 1))
    assert any("01-a" in p and "02-b" in p and "out of date" in p for p in check_course(notebooks))


@pytest.mark.slow
def test_the_release_has_a_course_home_and_glossary_and_every_link_leads_somewhere(released_course):
    release = released_course.release
    outline = load_outline(released_course.notebooks)
    home = json.loads((release / "index.ipynb").read_text())
    text = "\n".join("".join(c["source"]) for c in home["cells"])
    assert all(c["cell_type"] == "markdown" for c in home["cells"])
    for track in outline.tracks.values():
        assert f"## {track.title}" in text
        listed = [m for m in LINK.findall(text.split(f"## {track.title}")[1].split("\n## ")[0])]
        assert listed == [f"{lid}/{lid}.ipynb" for lid in track.lessons]

    glossary = "".join("".join(c["source"]) for c in json.loads((release / "glossary.ipynb").read_text())["cells"])
    for term in outline.glossary():
        assert f"<dt>{term}</dt>" in glossary.replace("&#x27;", "'")

    pages = [release / "index.ipynb", release / "glossary.ipynb"] + [release / lid / f"{lid}.ipynb"
                                                                     for lid in outline.lessons]
    for page in pages:
        for cell in json.loads(page.read_text())["cells"]:
            for target in LINK.findall("".join(cell["source"])):
                assert (page.parent / target).resolve().is_file(), f"{page.name} links to missing {target}"


def test_text_about_jupyterlab_must_be_tagged_so_the_web_view_hides_it(tmp_path):
    notebooks = make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]})
    update_navigation(notebooks)
    path = lesson_notebook(notebooks / "01-a")
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if "tags" in cell["metadata"]:
            cell["metadata"]["tags"] = [t for t in cell["metadata"]["tags"] if t != "jupyterlab-only"]
    path.write_text(json.dumps(nb))
    assert any("mentions JupyterLab" in p and "01-a" in p for p in check_course(notebooks))


def test_a_picture_is_embedded_from_assets_with_its_alt_text(tmp_path):
    from course_lib.course import embed_pictures

    notebooks = make_course(tmp_path, {"parent": ["01-a"], "aide": ["01-a"]})
    update_navigation(notebooks)
    assets = tmp_path / "assets"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>x</title></svg>'
    (assets / "loop.svg").write_text(svg)
    path = lesson_notebook(notebooks / "01-a")
    nb = json.loads(path.read_text())
    nb["cells"].insert(3, {"cell_type": "markdown", "id": "pic", "metadata": {}, "source": "![](attachment:loop.svg)"})
    path.write_text(json.dumps(nb))
    # no alt text yet: refused, rather than shown without it
    assert any("loop.svg" in p and "alt text" in p for p in check_course(notebooks))

    with (assets / "alt-text.yaml").open("a") as alt:
        alt.write("loop.svg: Four steps in a loop, from request to review.\n")
    assert any("pictures" in p and "01-a" in p for p in check_course(notebooks))
    assert embed_pictures(notebooks) == ["01-a"]
    assert check_course(notebooks) == []
    cell = next(c for c in nbformat.read(path, as_version=4).cells if c.id == "pic")
    assert cell.source == "![Four steps in a loop, from request to review.](attachment:loop.svg)"
    import base64

    assert base64.b64decode(cell["attachments"]["loop.svg"]["image/svg+xml"]).decode() == svg
