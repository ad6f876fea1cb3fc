"""The language a learner takes the course in, kept in their own copy of it.

``make start LANGUAGE=es`` (``course start --language es``) chooses it, and so does opening the
course home in a language from the link at its top: the home's first cell remembers it
(:func:`remember`), in ``.jupyter/course-language`` of the learner's workspace. The next ``course
start`` opens the home in that language, with JupyterLab's own menus in it where its language pack
is installed (:mod:`course_lib.learner.lab`). The answers are the same in every language.
"""

from __future__ import annotations

from pathlib import Path

from . import i18n, modes
from .files import atomic_write

STATE = ".jupyter"  # the learner's JupyterLab settings, in the workspace (course_lib.learner.lab)
FILE = "course-language"


def remember(language: str, folder: str | Path | None = None) -> None:
    """Keep ``language`` as the learner's choice, where the page is a learner's own course home (in
    ``folder``, the notebook's): nothing is written in the web view, a preview, or a folder that is
    not a workspace made by ``course start``."""
    folder = Path(folder) if folder is not None else Path.cwd()
    state = folder / STATE
    if i18n.known(language) and modes.for_folder(folder).keeps_answers and state.is_dir() \
            and remembered(folder) != language:
        atomic_write(state / FILE, language + "\n")


def remembered(workspace: str | Path) -> str | None:
    """The language the learner chose last, if any (the file is theirs: only a known one counts)."""
    try:
        text = (Path(workspace) / STATE / FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return i18n.known(text)
