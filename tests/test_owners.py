"""One owner for each rule: a question's points, its place in the answers file and what a release
withholds belong to its kind; a page's mode is a value; a document block writes itself; the
kernel side stays out of every other process. Each test fails if a second copy appears."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

from course_lib import modes
from course_lib.content import load_lesson, parse_lesson, withheld_texts, withhold_keys
from course_lib.documents import BLOCKS, Block, Document, to_html, to_pdf, to_rtf, to_text
from course_lib.questions import KINDS, Question, SingleChoice
from course_lib.store import CHECKED_LESSON, ResponseStore, draft_key

LIB = ROOT / "course_lib"


def _modules(*leave_out: str) -> dict[str, ast.Module]:
    """Every module of course_lib, parsed, but those named (paths from course_lib/)."""
    return {p.relative_to(LIB).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(LIB.rglob("*.py")) if p.relative_to(LIB).as_posix() not in leave_out}


def _strings(tree: ast.Module):
    """Every string constant but docstrings, and the leading text of every f-string, with its line."""
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if id(node) in docs:
            continue
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            docs.update(id(v) for v in node.values)
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _compared_strings(tree: ast.Module):
    """Every string a comparison (``==``, ``in`` ...) holds, with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                parts = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
                yield from ((node.lineno, p.value) for p in parts
                            if isinstance(p, ast.Constant) and isinstance(p.value, str))


# -- item 1: each question kind owns its points, its store key, its saved answer and its secrets ---
def test_a_kind_without_every_method_a_kind_needs_cannot_register():
    with pytest.raises(TypeError, match="lacks score"):
        class NoScore(SingleChoice):  # noqa: F841 - defining it is the test
            kind = "no-score"
            score = Question.score  # as if it had none of its own
    with pytest.raises(TypeError, match="lacks.*label"):
        class Nameless(SingleChoice):  # noqa: F841
            kind = "nameless"
            label = ""
    with pytest.raises(TypeError, match="defined twice"):
        class Again(SingleChoice):  # noqa: F841
            kind = "single"
    assert set(KINDS) == {"single", "multiple", "sort"}


def test_every_kind_has_its_input_widget():
    from course_lib.views import INPUTS

    assert set(INPUTS) == set(KINDS.values())


def test_points_come_from_the_kind_and_the_answers_file_keeps_its_format(sample):
    """Learners' saved files use these keys: the format may move, never change."""
    lesson = load_lesson(sample)
    q, practice, r = lesson.questions["g-multi"], lesson.self_checks["pick-one"], lesson.reflections["think"]
    assert (q.points_for(("a",)), q.points_for(("a", "c")), q.points_for(None)) == (1.0, 2.0, 0.0)
    assert (q.store_key, practice.store_key, r.store_key) == ("questions/g-multi", "self_checks/pick-one",
                                                              "reflections/think")
    assert lesson.scenarios["walk"].store_key == "scenarios/walk"
    assert (draft_key(q.store_key), CHECKED_LESSON) == ("drafts/questions/g-multi", "checked/lesson")
    store = ResponseStore(None, lesson.id)
    store.save(q.store_key, ["c", "a", "a"])
    store.save(r.store_key, 42)
    assert q.saved_in(store) == ("a", "c") and r.saved_in(store) is None  # read as the kind reads it


def test_the_release_asks_each_kind_what_to_withhold():
    try:
        @dataclass(frozen=True)
        class Ordering(SingleChoice):  # noqa: F841 - a kind as a later issue might add it: its key
            kind = "test-order"  # in another field of another list, with another secret beside it
            label = "ordering"
            items_field = "steps"
            key_field = "first"
            withheld_item_fields = ("feedback", "hint")

        raw = {"id": "x", "title": "X", "minutes": 5, "audiences": ["parent"], "objectives": ["o"],
               "key_points": ["k"], "sources": ["s"], "questions": {"q": {
                   "kind": "test-order", "prompt": "Which comes first?", "points": 1, "skill": "recall",
                   "why": "Because the first step always comes first.",
                   "steps": [{"id": "a", "text": "A", "first": True, "feedback": "The first one, of course.",
                              "hint": "Look at the top of the list."},
                             {"id": "b", "text": "B", "feedback": "This one comes later on."}]}}}
        assert parse_lesson(raw).questions["q"].key == "a"
        cohort = withhold_keys(raw)
        assert parse_lesson(cohort).questions["q"].key is None  # a cohort edition that still parses
        assert cohort["questions"]["q"]["steps"] == [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]
        assert set(withheld_texts(raw)) == {"Because the first step always comes first.", "The first one, of course.",
                                            "Look at the top of the list.", "This one comes later on."}
    finally:
        KINDS.pop("test-order", None)


def test_no_module_but_the_store_writes_a_key_of_the_answers_file():
    key = re.compile(r"^(questions|self_checks|reflections|scenarios|drafts|checked)/")
    found = [f"{name}:{line}: {text!r}" for name, tree in _modules("store.py").items()
             for line, text in _strings(tree) if key.match(text)]
    assert found == [], "ask the element for its store_key (the format is course_lib/store.py's)"


def test_no_module_but_the_kinds_counts_points():
    found = [f"{p.relative_to(ROOT)}:{n}" for p in LIB.rglob("*.py") if p.name != "questions.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"round\(.*\*.*points", line)]
    assert found == [], "use question.points_for(answer)"


def test_no_module_branches_on_a_question_kind_outside_the_kinds():
    found = [f"{name}:{line}: {text!r}" for name, tree in _modules("questions.py").items()
             for line, text in _compared_strings(tree) if text in KINDS]
    assert found == [], "give the kind a method instead (as position_limit)"


# -- item 2: a page's mode is a value, and says its own words ---------------------------------------
def test_each_mode_says_what_pages_ask_of_it():
    learn, preview, view, grade = modes.LEARN, modes.PREVIEW, modes.VIEW, modes.GRADE
    assert [m.keeps_answers for m in (learn, preview, view, grade)] == [True, False, False, False]
    assert [m.reads_answers for m in (learn, preview, view, grade)] == [True, False, False, True]
    assert [m.marks_at_once for m in (learn, preview, view, grade)] == [False, True, True, False]
    assert grade.grading and not any(m.grading for m in (learn, preview, view))
    assert view.web_page and view.say("not_kept") in view.say("notice") and view.say("not_kept") in view.say("progress")
    assert learn.say("not_kept") == "" and "kept" in learn.say("keeping") and view.say("keeping") == ""
    assert modes.get("view") is view and modes.get(view) is view
    with pytest.raises(ValueError, match="unknown mode 'hub'"):
        modes.get("hub")


def test_no_page_compares_mode_names():
    found = [f"{name}:{line}: {text!r}" for name, tree in _modules("modes.py").items()
             for line, text in _compared_strings(tree) if text in modes.MODES]
    assert found == [], "ask the mode (course_lib/modes.py) a question instead"


def test_the_words_that_nothing_is_kept_are_in_the_modes_alone():
    """What a learner or visitor reads (the kernel side and the tools), docstrings apart."""
    said = re.compile(r"(?i)\bnothing\b[^.]*\b(kept|saved)\b|\b(is|are) not (kept|saved)\b")
    pages = {name: tree for name, tree in _modules("modes.py").items()
             if name.split("/")[0].removesuffix(".py") in (*LOWER, "tools")}
    found = [f"{name}:{line}: {text[:60]!r}" for name, tree in pages.items()
             for line, text in _strings(tree) if said.search(text)]
    assert found == [], "say it once, in course_lib/modes.py"


def test_how_to_use_a_lesson_says_answers_are_kept_only_where_they_are(sample):
    import course_lib
    from course_lib.views import text_of

    said = {m: text_of(course_lib.open_lesson(sample, mode=m).header().value) for m in ("learn", "view", "preview")}
    assert "How to use this lesson." in said["learn"] and "Answers you save are kept" in said["learn"]
    for m in ("view", "preview"):
        assert "Answers you save are kept" not in said[m] and modes.get(m).say("not_kept") in said[m]


def test_no_lesson_notebook_says_for_itself_whether_answers_are_kept():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("[0-9]*/*.ipynb")):
        prose = " ".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        assert "Answers you save are kept" not in prose, f"{path.name}: lesson.header() says it, for the mode"


# -- item 3: a document block writes itself; an unknown kind is an error ----------------------------
def test_every_block_kind_writes_every_format_and_an_unknown_one_is_refused():
    doc = Document("A sheet", "a-sheet")
    for kind in BLOCKS:
        if kind != "table":
            doc.add(kind, "Some text")
    doc.table(["Who", "Notes"], [[(("Ms. Patel", True),), ()]])
    assert {type(b).kind for b in doc.blocks} == set(BLOCKS)
    assert "Some text" in to_text(doc) and "Some text" in to_rtf(doc) and "Ms. Patel" in to_html(doc)
    assert to_pdf(doc).startswith(b"%PDF")
    with pytest.raises(ValueError, match="no block of kind 'poster'"):
        doc.add("poster", "Big letters")


def test_a_block_kind_that_cannot_write_a_format_cannot_register():
    with pytest.raises(TypeError, match="lacks pdf"):
        class Banner(Block):  # noqa: F841
            kind = "banner"

            def text(self):
                return []

            def rtf(self):
                return ""

            def html(self, page):
                return ""
    assert "banner" not in BLOCKS


def test_no_module_branches_on_a_block_kind():
    found = [f"{name}:{line}: {text!r}" for name, tree in _modules().items()
             for line, text in _compared_strings(tree) if text in BLOCKS]
    assert found == [], "give the block's class a method instead (course_lib/documents/blocks.py)"


LOWER = ("modes", "store", "layout", "files", "reader", "questions", "content", "outline", "render", "views",
         "scenarios", "lessons", "progress", "documents")  # the kernel side, and what it stands on
UPPER = ("tools", "publish", "instructor", "web", "learner", "cli")


def _imported(name: str, tree: ast.Module):
    """The absolute name of everything module ``name`` (a path in course_lib/) imports."""
    package = ["course_lib", *name.removesuffix(".py").split("/")[:-1]]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node.lineno, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join([*package[:len(package) - node.level + 1], *([node.module] if node.module else [])]) \
                if node.level else node.module
            yield node.lineno, [base] if node.module else [f"{base}.{a.name}" for a in node.names]


def test_the_kernel_side_imports_nothing_above_it():
    """The progress page used to reach up into the tools for its record; now both use documents."""
    found = [f"{name}:{line} imports {target}" for name, tree in _modules().items()
             if name.split("/")[0].removesuffix(".py") in LOWER
             for line, targets in _imported(name, tree) for target in targets
             if target.split(".")[:2][-1] in UPPER and target.startswith("course_lib.")]
    assert found == []


# -- item 4: only a lesson's kernel loads widgets ---------------------------------------------------
def _loaded(code: str, cwd: Path = ROOT) -> set[str]:
    """The top-level packages of note loaded by ``code`` in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted({m.split('.')[0] "
                          "for m in sys.modules})))"], capture_output=True, text=True, cwd=cwd, check=True)
    return set(out.stdout.split()) & {"ipywidgets", "IPython", "ipykernel", "nbgrader", "nbformat", "nbconvert"}


def test_the_notebooks_import_still_works_and_loads_the_kernel_side():
    assert {"ipywidgets", "IPython"} <= _loaded("from course_lib import lesson, progress, tools\nrepr(lesson)")
    assert _loaded("import course_lib") == set()


def test_the_build_and_the_release_load_no_widgets(tmp_path):
    """The steps ``course build`` and ``course release`` run in their own process (nbgrader's own
    commands are other processes), on a copy of the course."""
    code = (f"from pathlib import Path\nfrom course_lib.layout import CourseLayout\n"
            f"from course_lib import cli, instructor\n"
            f"from course_lib.publish import check_the_sources, write_nbgrader_source, editions, leaks, readme\n"
            f"layout = CourseLayout(Path({str(ROOT)!r})).copy_sources(Path({str(tmp_path / 'course')!r}))\n"
            f"check_the_sources(layout); write_nbgrader_source(layout); editions.write_self_paced(layout)\n"
            f"leaks.scan_release(layout, layout.source); readme.lesson_table(layout); readme.tool_list(layout)")
    assert not _loaded(code) & {"ipywidgets", "IPython", "ipykernel"}


def test_a_grading_worker_loads_no_widgets():
    code = ("from course_lib.instructor import worker, gradebook, handins\n"
            "from nbgrader.apps.api import NbGraderAPI\nfrom nbgrader.api import Gradebook")
    assert not _loaded(code) & {"ipywidgets", "IPython", "ipykernel"}


def test_the_web_server_loads_no_widgets():
    code = "from course_lib.web.server import CourseVoila\nfrom course_lib.web import voila_command"
    assert not _loaded(code) & {"ipywidgets", "IPython", "ipykernel"}
