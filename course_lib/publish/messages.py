"""The message catalogs, kept in step with the code (``course messages``), with Babel.

Every message the code marks (``t._("...")``, ``t.ngettext(...)``, ``N_("...")`` in Python; ``_("...")``
in the feedback page's template) is extracted with Babel, and each language's catalog,
``course_lib/locale/<code>/LC_MESSAGES/course.po``, is updated from them: a new message comes in
untranslated, a message no longer in the code leaves. ``course messages --add <code>`` starts the
catalog of a new language. :func:`catalog_problems` is the check the tests make: every message of
the code is in every catalog and translated, with the same ``{fields}`` and HTML tags, and nothing
else is there.

Interface text written outside a message is found by :func:`untranslated_literals` (an English
sentence in a string of the learner-facing code that no message wraps), so nothing a learner reads
escapes the catalogs.
"""

from __future__ import annotations

import ast
import re
from datetime import datetime
from pathlib import Path

from .. import i18n

PACKAGE = Path(__file__).resolve().parents[1]  # course_lib/
# Python through its syntax tree (Babel's own Python extractor does not look inside f-strings before
# Python 3.12, where a message often stands: f"<h2>{t._('Key points')}</h2>").
METHOD_MAP = [("**.py", "course_lib.publish.messages:extract_python"), ("instructor/templates/**.j2", "jinja2")]
OPTIONS = {"instructor/templates/**.j2": {"extensions": "jinja2.ext.do", "trimmed": "false"}}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# Modules that speak to authors, instructors or the server's operator only, never to a learner or a
# visitor; every other module is held to the catalogs, a new one too.
NOT_LEARNER_FACING = {
    "cli.py": "the instructor's and author's command line",
    "translation.py": "the translators' check",
    "instructor/": "the instructor's commands (the feedback page is its template, checked apart)",
    "publish/": "building and checking the course (its pages and notebooks are checked, below)",
    "web/__init__.py": "what `course view` tells the person who runs the server",
    "web/gate.py": "refusals of requests no course page makes (another site's, another host's)",
    "web/responses.py": "the error of an API call, which no page shows",
    "web/settings.py": "the web view's settings, for the person who runs the server",
    "hub/command.py": "what `course hub` tells the person who runs it",
    "hub/settings.py": "the hub's settings file and its problems, for the person who runs it",
    "hub/instructor.py": "the instructor's page (the instructor's commands are in English, as instructor/ is)",
}
LEARNER_FACING_AFTER_ALL = ("publish/pages.py", "publish/notebooks.py", "instructor/preprocessors.py")


def learner_facing() -> tuple[str, ...]:
    """The modules (paths under ``course_lib/``) whose strings a learner or a visitor may read."""
    names = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
    return tuple(n for n in names if n in LEARNER_FACING_AFTER_ALL
                 or not any(n == k or (k.endswith("/") and n.startswith(k)) for k in NOT_LEARNER_FACING))
# Functions (and names assigned) of those modules whose words are for authors or graders only, never a learner or
# a visitor.
NOT_FOR_LEARNERS = frozenset({
    "__repr__",
    "rubric_for_grader",  # questions.py: the rubric as a grader reads it in Formgrader (the instructor's language)
    "element_calls",  # publish/notebooks.py: what an author wrote wrong in a lesson notebook
    "length_measure",  # questions.py: how course check says an answer key stands out by its length, to authors
})
FIELD = re.compile(r"\{(\w*)[^{}]*\}")
TAG = re.compile(r"</?([a-z]+)[^>]*>")


def extract():
    """A Babel catalog of every message the code marks."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="ot-special-ed-course", version=_version(), charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, METHOD_MAP, OPTIONS, KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(f"course_lib/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def extract_python(fileobj, keywords, comment_tags, options):
    """A Babel extraction method for Python: every call to a keyword (``t._("…")``, ``N_("…")``), in
    f-strings too, as ``(line, name, positional arguments (strings, or None), comments)``."""
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in keywords and node.args and isinstance(node.args[0], ast.Constant):
            args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                         for a in node.args)
            yield node.lineno, name, args if len(args) > 1 else args[0], []


def _version() -> str:
    from .. import __version__

    return __version__


def read(code: str):
    from babel.messages.pofile import read_po

    with i18n.catalog_file(code).open("rb") as f:
        return read_po(f, locale=code, domain=i18n.DOMAIN)


def write(catalog, code: str) -> Path:
    from babel.messages.pofile import write_po

    path = i18n.catalog_file(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True, include_previous=False,
                 sort_by_file=True)
    return path


def update(add: str | None = None) -> list[str]:
    """Bring every catalog (and, with ``add``, a new one) in step with the code; one line each."""
    from babel.messages.catalog import Catalog

    template = extract()
    codes = [c for c in i18n.languages() if c != i18n.DEFAULT]
    said = []
    if add and add not in codes:
        new = Catalog(locale=add, domain=i18n.DOMAIN, project=template.project, version=template.version,
                      creation_date=datetime.now())
        write(new, add)
        codes.append(add)
        i18n.languages.cache_clear()
        said.append(f"started the {add!r} catalog: {i18n.catalog_file(add)}")
    for code in codes:
        catalog = read(code)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
        catalog.obsolete.clear()
        write(catalog, code)
        missing = sum(1 for m in catalog if m.id and not _complete(m))
        said.append(f"{i18n.catalog_file(code)}: {len(template)} messages, {missing} to translate")
    return said


def _complete(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings) and not message.fuzzy


def catalog_problems() -> list[str]:
    """Every way a catalog falls short of the code's messages (see the module's doc)."""
    template = extract()
    wanted = {(m.context, _key(m.id)) for m in template if m.id}
    problems = []
    for code in i18n.languages():
        if code == i18n.DEFAULT:
            continue
        catalog = read(code)
        have = {(m.context, _key(m.id)): m for m in catalog if m.id}
        where = f"course_lib/locale/{code}"
        problems += [f"{where}: no translation of {_show(k[1])} (run course messages, then translate it)"
                     for k in sorted(wanted - set(have), key=str)]
        problems += [f"{where}: {_show(k[1])} is no longer a message of the code (run course messages)"
                     for k in sorted(set(have) - wanted, key=str)]
        for key, m in have.items():
            if key not in wanted:
                continue
            if not _complete(m):
                problems.append(f"{where}: {_show(m.id)} is not translated yet" + (" (fuzzy)" if m.fuzzy else ""))
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            for text in strings:
                if set(FIELD.findall(text)) - set(FIELD.findall(" ".join(ids))):
                    problems.append(f"{where}: the translation of {_show(m.id)} names a field the English does not "
                                    f"have: {sorted(set(FIELD.findall(text)))}")
                if sorted(TAG.findall(text)) != sorted(TAG.findall(ids[0])):
                    problems.append(f"{where}: the translation of {_show(m.id)} has other HTML tags than the English")
    return problems


def _key(msgid):
    return msgid if isinstance(msgid, str) else msgid[0]


def _show(msgid) -> str:
    text = _key(msgid)
    return repr(text if len(text) <= 60 else text[:57] + "...")


# -- interface text outside the catalogs ---------------------------------------------------------------------
_MARKS = frozenset({"_", "N_", "ngettext", "pgettext", "gettext"})
_NOT_SAID = frozenset({  # calls whose strings a learner never reads: errors for authors, logs, code
    "LessonError", "ValueError", "TypeError", "KeyError", "RuntimeError", "BuildError", "CommandError",
    "AttributeError", "StoreError", "fail", "exception", "debug", "info", "warning", "error", "getLogger",
    "compile", "Path", "open", "import_module", "register",
    "close",  # a websocket's close reason: the page reads its code and says why in its own words
})
_RECEIVER = frozenset({"join", "format", "split", "replace", "startswith", "endswith", "strip"})  # ", ".join(...)
_NOT_TEXT = re.compile(r"<style[^>]*>.*?</style>|style=(['\"]).*?\1|</?\w+|[\w-]+=|>|\{[^{}]*\}|&\w+;", re.S)
_PROSE = re.compile(r"\b[A-Za-z][a-z']+\b(?:[ ,]+\b[A-Za-z][a-z']+\b){2,}")  # three or more words in a row


def untranslated_literals(modules: tuple[str, ...] | None = None) -> list[str]:
    """English sentences in string literals of ``modules`` (paths under ``course_lib/``) that no message
    wraps: docstrings and what is only said to developers or authors (exceptions, logs) apart. Each
    is ``file:line: text``."""
    found = []
    for name in learner_facing() if modules is None else modules:
        path = PACKAGE / name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _skipped(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                    and _PROSE.search(_NOT_TEXT.sub(" ", node.value)):
                found.append(f"course_lib/{name}:{node.lineno}: {' '.join(node.value.split())[:70]!r}")
    return found


def _skipped(tree) -> set[int]:
    """The ids of the string nodes that are not interface text, or are messages already."""
    skip: set[int] = set()

    def drop(node) -> None:
        skip.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Constant))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                drop(first)  # a docstring
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _MARKS or name in _NOT_SAID:
                drop(node)
            elif name in _RECEIVER and isinstance(func, ast.Attribute):
                drop(func.value)
            for keyword in node.keywords:
                if keyword.arg == "help":  # a setting's help, for the server's operator
                    drop(keyword)
        elif isinstance(node, (ast.Raise, ast.Assert, ast.Compare)):  # errors for authors; text compared, not said
            drop(node)
    for node in ast.walk(tree):
        names = [node.name] if isinstance(node, ast.FunctionDef) else \
            [n.id for n in node.targets if isinstance(n, ast.Name)] if isinstance(node, ast.Assign) else []
        if any(name in NOT_FOR_LEARNERS for name in names):
            drop(node)
    return skip
