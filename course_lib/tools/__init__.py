"""Tools to take away: letters a parent can send, an IEP meeting sheet, and aides' sheets.

A tools notebook needs one line per tool::

    from course_lib import tools
    tools.letter_builder()

The texts are in ``tools.yaml`` in the tools folder (the notebook's own folder), and in another
language in ``tools.<language>.yaml`` beside it: the notebook in Spanish calls
``tools.letter_builder(language="es")`` (the build writes it so). Where the mode
keeps answers (a learner's JupyterLab) what a person types is saved, when they press the tool's
button, in ``my-answers.json`` there; in the web view nothing is written anywhere, and downloads
are made in memory. Widgets are loaded only when a tool is drawn, so the publishing side can read
``tools.yaml`` (:mod:`course_lib.tools.content`) without them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..modes import Mode
from .content import EntryError, Tools, ToolsError, load_tools

__all__ = ["EntryError", "Tools", "ToolsError", "compose_bilingual_letter", "compose_data_sheet", "compose_first_week",
           "compose_letter", "compose_meeting_sheet", "compose_strategy_card", "data_sheet", "first_week_checklist",
           "letter_builder", "load_tools", "meeting_sheet", "strategy_card"]
_COMPOSERS = {"compose_letter": "letters", "compose_bilingual_letter": "letters", "compose_meeting_sheet": "sheets",
              "compose_data_sheet": "sheets", "compose_strategy_card": "sheets", "compose_first_week": "sheets"}


def __getattr__(name: str):
    """The documents' plain makers (values in, document out), loaded on first use."""
    if name not in _COMPOSERS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_COMPOSERS[name]}"), name)


def _open(folder, mode, language):
    from .. import i18n, modes
    from .form import open_store

    folder = Path(folder) if folder is not None else Path.cwd()
    mode = modes.for_folder(folder, mode)
    tools = load_tools(folder, i18n.known(language))
    english = None if tools.language == i18n.DEFAULT else load_tools(folder)
    return tools, english, open_store(folder, mode, tools.language), mode, folder


def letter_builder(folder: str | Path | None = None, mode: Mode | str | None = None, today: date | None = None,
                   language: str | None = None):
    """The letter builder: choose a letter, fill in a few boxes, print or download it. In another
    ``language``: the form in it, the letter to send in English with the same letter in it."""
    from .letters import LetterBuilder

    tools, english, store, mode, _folder = _open(folder, mode, language)
    return LetterBuilder(tools, store, mode, today, english)


def meeting_sheet(folder: str | Path | None = None, mode: Mode | str | None = None, language: str | None = None):
    """The parent's one-page IEP meeting sheet."""
    from .sheets import MeetingSheet

    tools, english, store, mode, folder = _open(folder, mode, language)
    return MeetingSheet(tools, store, mode, folder, english)


def data_sheet(folder: str | Path | None = None, mode: Mode | str | None = None, language: str | None = None):
    """An aide's printable data sheet, with the columns the OT asked for."""
    from .sheets import DataSheet

    tools, _english, store, mode, _folder = _open(folder, mode, language)
    return DataSheet(tools, store, mode)


def strategy_card(folder: str | Path | None = None, mode: Mode | str | None = None, language: str | None = None):
    """An aide's card for one strategy the OT taught."""
    from .sheets import StrategyCard

    tools, _english, store, mode, _folder = _open(folder, mode, language)
    return StrategyCard(tools, store, mode)


def first_week_checklist(folder: str | Path | None = None, mode: Mode | str | None = None,
                         language: str | None = None):
    """An aide's one-page checklist for the first week."""
    from .sheets import FirstWeek

    tools, _english, store, mode, _folder = _open(folder, mode, language)
    return FirstWeek(tools, store, mode)
