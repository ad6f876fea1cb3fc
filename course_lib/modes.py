"""The page modes: where a lesson, a tool or the progress page is open, and what that allows.

The same notebook runs in four places, chosen from the environment, never by the author:

* **learn** (a learner's JupyterLab): answers are saved to ``my-answers.json`` beside the notebook;
* **preview** (one of the course's own copies, such as ``notebooks/``, opened by an instructor):
  nothing is written, so no answers file can ever be copied into a release;
* **view** (the read-only Voila web view): nothing is written, and the page says so;
* **grade** (nbgrader autograde/validate): nothing is written and no widget is drawn; the page is
  the text of the learner's feedback.

A mode is a value with the properties pages ask about (does it keep answers? mark at once? is it
a web page?), so a page never compares mode names, and a new mode (a class on a JupyterHub) is one
more value here. Every sentence that depends on the mode is here too, once, as messages of the
catalogs (:mod:`course_lib.i18n`), said in the page's language with :meth:`Mode.say`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .i18n import ENGLISH, N_, Language
from .layout import find_layout
from .store import ResponseStore


@dataclass(frozen=True, repr=False)
class Mode:
    name: str
    reads_answers: bool  # the learner's answers file is read (learn; grade reads what was handed in)
    keeps_answers: bool  # answers are written to it
    draws_widgets: bool  # False when grading: the page is text for nbgrader's feedback
    marks_at_once: bool  # a graded question is marked as soon as it is answered (no one grades it later)
    web_page: bool  # a plain web page (Voila), printed from the browser's own menu
    # What the mode says, each a list of messages (:mod:`course_lib.i18n`) said one after the other:
    notice: tuple[str, ...] = ()  # at the top of a lesson or tool
    not_kept: tuple[str, ...] = ()  # the one sentence that says nothing is kept, where nothing is
    keeping: tuple[str, ...] = ()  # how to use a lesson: what happens to the answers, where they are kept
    progress: tuple[str, ...] = ()  # the progress page, where there is no progress to show

    def __repr__(self) -> str:
        return f"<mode {self.name}>"

    @property
    def grading(self) -> bool:
        return not self.draws_widgets

    def say(self, what: str, t: Language = ENGLISH) -> str:
        """One of the mode's sentences (``notice``, ``not_kept``, ``keeping``, ``progress``) in ``t``'s words."""
        return " ".join(t._(part) for part in getattr(self, what))

    def answers(self, path: Path, owner: str, language: str | None = None) -> ResponseStore:
        """The answers file at ``path`` as this mode may use it: read and written (learn), read only
        (grade), or not read at all, each answer remembered on the page only (view, preview)."""
        return ResponseStore(path if self.reads_answers else None, owner, writable=self.keeps_answers,
                             language=language)

    def tool_intro(self, what: str, make_label: str, file: str, t: Language = ENGLISH) -> str:
        """What a tool says above its boxes about what is kept."""
        if self.keeps_answers:
            return t._("When you press “{button}”, what you typed is saved in this folder, in the file {file}, so it "
                       "is here when you come back. The date is not kept.", button=make_label, file=file)
        if self.web_page:
            return self.say("not_kept", t) + " " + t._("Download or print {what} before you close this page.",
                                                       what=what)
        return self.say("not_kept", t)

    def tool_made(self, what: str, t: Language = ENGLISH) -> str:
        """What a tool says when the page is ready."""
        ready = t._("{what} is ready below.", what=what)
        ready = ready[:1].upper() + ready[1:]
        if self.keeps_answers:
            return ready + " " + t._("Your entries are saved in this folder.")
        return f"{ready} {self.say('not_kept', t)}" if self.web_page else ready


_VIEW_NOT_KEPT = N_("Nothing you choose or type here is kept.")
_PREVIEW_NOT_KEPT = N_("Instructor preview: nothing you choose or type here is kept.")

LEARN = Mode("learn", reads_answers=True, keeps_answers=True, draws_widgets=True, marks_at_once=False,
             web_page=False, keeping=(N_("Answers you save are kept, so you can stop and come back later."),))
PREVIEW = Mode("preview", reads_answers=False, keeps_answers=False, draws_widgets=True, marks_at_once=True,
               web_page=False, not_kept=(_PREVIEW_NOT_KEPT,),
               notice=(_PREVIEW_NOT_KEPT, N_("This is one of the course's own copies; learners' copies keep their "
                                             "answers.")),
               progress=(_PREVIEW_NOT_KEPT, N_("A learner's own copy shows their progress here.")))
VIEW = Mode("view", reads_answers=False, keeps_answers=False, draws_widgets=True, marks_at_once=True,
            web_page=True, not_kept=(_VIEW_NOT_KEPT,),
            notice=(N_("You are reading the web view of this course. You can try every question and story, and see "
                       "how you did."), _VIEW_NOT_KEPT),
            progress=(_VIEW_NOT_KEPT, N_("To keep your answers and see your progress, take the course in JupyterLab "
                                         "(see the course's README).")))
GRADE = Mode("grade", reads_answers=True, keeps_answers=False, draws_widgets=False, marks_at_once=False,
             web_page=False)
MODES = {m.name: m for m in (LEARN, PREVIEW, VIEW, GRADE)}


def current_mode() -> Mode:
    """From the environment: nbgrader's ``NBGRADER_EXECUTION`` grades; ``COURSE_READONLY`` (set by
    ``course view``) or Voila's own variables mean the web view; otherwise a learner's lab."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return GRADE
    if os.environ.get("COURSE_READONLY") or any(k.startswith("VOILA_") for k in os.environ) or \
            os.environ.get("SERVER_SOFTWARE", "").startswith("voila"):
        return VIEW
    return LEARN


def get(mode: Mode | str | None) -> Mode:
    """``mode`` as a value: a mode, its name, or ``None`` for the environment's."""
    if mode is None:
        return current_mode()
    if isinstance(mode, Mode):
        return mode
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    return MODES[mode]


def for_folder(folder: Path, mode: Mode | str | None = None) -> Mode:
    """The mode of a page in ``folder``: a learner's mode becomes an instructor's preview inside one of
    the course's own copies (``notebooks/``, ``grading/``, ``build/``), so no answers file is ever
    written where a release or an edition could pick it up."""
    mode = get(mode)
    if mode.keeps_answers and (layout := find_layout(folder)) is not None and layout.owns(folder):
        return PREVIEW
    return mode
