"""Tools to take away: letters a parent can send, an IEP meeting sheet, and aides' sheets.

A tools notebook needs one line per tool::

    from course_lib import tools
    tools.letter_builder()

The texts are in ``tools.yaml`` in the tools folder (the notebook's own folder). In JupyterLab
what a person types is saved, when they press the tool's button, in ``my-answers.json`` there;
in the web view nothing is written anywhere, and downloads are made in memory.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .content import EntryError, Tools, ToolsError, load_tools
from .form import open_store, tool_mode
from .letters import LetterBuilder, compose_letter
from .sheets import (
    DataSheet,
    FirstWeek,
    MeetingSheet,
    StrategyCard,
    compose_data_sheet,
    compose_first_week,
    compose_meeting_sheet,
    compose_strategy_card,
)

__all__ = ["EntryError", "Tools", "ToolsError", "compose_data_sheet", "compose_first_week", "compose_letter",
           "compose_meeting_sheet", "compose_strategy_card", "data_sheet", "first_week_checklist", "letter_builder",
           "load_tools", "meeting_sheet", "strategy_card"]


def _open(folder, mode):
    folder = Path(folder) if folder is not None else Path.cwd()
    mode = tool_mode(folder, mode)
    return load_tools(folder), open_store(folder, mode), mode, folder


def letter_builder(folder: str | Path | None = None, mode: str | None = None, today: date | None = None):
    """The letter builder: choose a letter, fill in a few boxes, print or download it."""
    tools, store, mode, _folder = _open(folder, mode)
    return LetterBuilder(tools, store, mode, today)


def meeting_sheet(folder: str | Path | None = None, mode: str | None = None):
    """The parent's one-page IEP meeting sheet."""
    tools, store, mode, folder = _open(folder, mode)
    return MeetingSheet(tools, store, mode, folder)


def data_sheet(folder: str | Path | None = None, mode: str | None = None):
    """An aide's printable data sheet, with the columns the OT asked for."""
    tools, store, mode, _folder = _open(folder, mode)
    return DataSheet(tools, store, mode)


def strategy_card(folder: str | Path | None = None, mode: str | None = None):
    """An aide's card for one strategy the OT taught."""
    tools, store, mode, _folder = _open(folder, mode)
    return StrategyCard(tools, store, mode)


def first_week_checklist(folder: str | Path | None = None, mode: str | None = None):
    """An aide's one-page checklist for the first week."""
    tools, store, mode, _folder = _open(folder, mode)
    return FirstWeek(tools, store, mode)
