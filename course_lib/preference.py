"""The language a learner takes the course in, kept in their own copy of it.

``make start LANGUAGE=es`` (``course start --language es``) chooses it, and so does opening the
course home in a language from the link at its top: the home's first cell remembers it
(:func:`remember`), in ``.jupyter/course-language`` of the learner's workspace (or, on the course's
JupyterHub, of the learner's course folder, whose course pages are in ``00-course-home/``), and sets
JupyterLab's own language to it (:func:`set_lab_language`), where its language pack is installed: the
menus follow the next time JupyterLab loads. The next ``course start`` (or the learner's server on
the hub) opens the home in that language (:mod:`course_lib.learner.lab`). The answers are the same in
every language.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import i18n, modes
from .files import atomic_write

STATE = ".jupyter"  # the learner's JupyterLab settings, in the workspace (course_lib.learner.lab)
FILE = "course-language"
LAB_LANGUAGE = Path("lab", "user-settings", "@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")


def remember(language: str, folder: str | Path | None = None) -> None:
    """Keep ``language`` as the learner's choice, where the page is a learner's own course home (in
    ``folder``, the notebook's, or the folder above it): nothing is written in the web view, a preview,
    or a folder that is not a learner's course (made by ``course start``, or their folder on the hub)."""
    folder = Path(folder) if folder is not None else Path.cwd()
    workspace = next((f for f in (folder, folder.parent) if (f / STATE).is_dir()), None)
    if workspace is not None and i18n.known(language) and modes.for_folder(folder).keeps_answers \
            and remembered(workspace) != language:
        set_lab_language(workspace / STATE, language)  # first: the choice counts as kept once both are
        atomic_write(workspace / STATE / FILE, language + "\n")


def remembered(workspace: str | Path) -> str | None:
    """The language the learner chose last, if any (the file is theirs: only a known one counts)."""
    try:
        text = (Path(workspace) / STATE / FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return i18n.known(text)


def lab_locale(language: str | None) -> str:
    """JupyterLab's name for ``language`` ("es_ES"), where its language pack is installed; else English."""
    from importlib.metadata import entry_points

    if language and language != i18n.DEFAULT:
        for pack in sorted(e.name for e in entry_points(group="jupyterlab.languagepack")):
            if pack.split("_")[0].lower() == language:
                return pack
    return "en"


def set_lab_language(state: Path, language: str | None) -> None:
    """JupyterLab's menus in ``language`` (its own setting, among the learner's settings in ``state``,
    their ``JUPYTER_CONFIG_DIR``): JupyterLab reads it each time it loads."""
    path = state / LAB_LANGUAGE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    settings = settings if isinstance(settings, dict) else {}
    if settings.get("locale") != (locale := lab_locale(language)):
        settings["locale"] = locale
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(settings, indent=1))
