"""The learner's saved answers: one JSON file beside the lesson notebook.

Why a file beside the notebook: nbgrader's submit and collect copy the whole assignment
folder, so the answers travel with the notebook; the hidden tests read the same file in a
fresh kernel at autograde time, so what is graded is exactly what the learner saved through
the widgets and nobody has to type Python. A kernel restart or a reopened notebook reads the
file again, so answers come back.

Writes are atomic (a temporary file in the same folder, fsync, ``os.replace``) and merge
with what is on disk, so a crash mid-write or a second open copy of the lesson never loses
an answer. A damaged file is never overwritten silently: it is copied aside first and the
learner is told where the copy is.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from .files import atomic_write
from .i18n import N_, Message, known
from .layout import ANSWERS_FILE

__all__ = ["ACTIVITY", "ANSWERS_FILE", "CHECKED_LESSON", "ResponseStore", "StoreError", "answers_language",
           "draft_key", "entry_key"]
FORMAT = 1
FILE_FIELDS = frozenset({"format", "lesson", "answers", "language"})  # all the course writes in the file
ENTRY_FIELDS = frozenset({"value", "saved"})  # and in each of its answers
DAMAGED = N_("Your saved answers file ({file}) is damaged and could not be read.")
MAX_BYTES = 2_000_000  # far more than any learner writes; a bigger file is not read
ACTIVE_GAP_SECONDS = 15 * 60  # a pause longer than this between two of the learner's actions is not counted


# -- what each entry is called: the one place that knows the file's key format --------------------
def entry_key(section: str, item_id: str) -> str:
    """The key of one answer: ``questions/<id>``, ``self_checks/<id>``, ``reflections/<id>``,
    ``scenarios/<id>``, or a tool's ``<tool>/entries``. Each element asks for its own key
    (``question.store_key``), so the format is written only here."""
    return f"{section}/{item_id}"


def draft_key(key: str) -> str:
    """Where a changed but unsaved answer is kept, so a restart does not silently bring back the old one."""
    return entry_key("drafts", key)


CHECKED_LESSON = entry_key("checked", "lesson")  # the score "Check my lesson" last showed
# The time the learner has spent in the lesson, from their own actions (opening it, and every answer,
# draft and check saved): {"seconds": ..., "last": ...}. A completion record states it beside the
# lesson's planned length, so that neither stands in for the other.
ACTIVITY = entry_key("activity", "time")


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _active(entry: dict | None, now: datetime, seen: datetime | None = None) -> dict:
    """The activity entry after an action at ``now``: the time since the last action (or since the
    learner was ``seen`` opening the lesson, if later) is added, unless it was a pause (longer than
    :data:`ACTIVE_GAP_SECONDS`), or the clock went back."""
    value = entry.get("value") if isinstance(entry, dict) else None
    seconds, last = 0, None
    if isinstance(value, dict):
        seconds = value.get("seconds") if isinstance(value.get("seconds"), int) and value["seconds"] >= 0 else 0
        try:
            last = datetime.fromisoformat(value["last"])
        except (KeyError, TypeError, ValueError):
            last = None
        if last is not None and last.tzinfo is None:
            last = None
    if seen is not None and (last is None or seen > last):
        last = seen
    if last is not None and 0 <= (gap := (now - last).total_seconds()) <= ACTIVE_GAP_SECONDS:
        seconds += round(gap)
    return {"value": {"seconds": seconds, "last": _stamp(now)}, "saved": _stamp(now)}


def answers_language(path: str | Path) -> str | None:
    """The language an answers file says its learner last answered in, if it is one of the course's
    (the file is the learner's: anything else is ``None``)."""
    try:
        path = Path(path)
        if path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return known(data.get("language")) if isinstance(data, dict) else None


class StoreError(ValueError):
    """The answers file cannot be read; the message (a :class:`~course_lib.i18n.Message`) is meant for
    the learner."""

    def __init__(self, text: str, **params):
        self.message = Message.of(text, **params)
        super().__init__(self.message)


class ResponseStore:
    """Answers keyed by ``"<section>/<id>"`` (``questions/ot-areas``), each with the time saved.

    ``writable=False`` is for the autograder and the read-only web view: the file is read (or,
    with ``path=None``, nothing is read) and nothing is ever written.

    ``language``: the language the learner answers in, kept in the file with each save, so the
    grader's feedback is written in it (:attr:`language` reads it back, checked: the file is the
    learner's, so it may say anything). Answers are kept by id, the same in every language: a
    learner who switches language keeps them.
    """

    def __init__(self, path: str | Path | None, lesson_id: str, writable: bool = True, language: str | None = None):
        self.path = Path(path) if path is not None else None
        self.lesson_id = lesson_id
        self.writable = writable and self.path is not None
        self.answering_in = language
        self.problem: Message | None = None  # a message for the learner, if loading went wrong
        self.language: str | None = None  # the language of the last save, if the file says a known one
        self._seen: datetime | None = None  # when the learner opened the lesson, until their next action is saved
        self._answers: dict[str, dict] = {}
        self.reload()

    # -- reading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.problem = None
        try:
            self._answers = self._read()
        except StoreError as exc:
            self._answers = {}
            self.problem = exc.message
            if self.writable:
                copy = self._keep_damaged_copy()
                self.problem = Message.of(N_("{problem} A copy of the damaged file was kept as {copy}. You can "
                                             "answer again here."), problem=exc.message, copy=copy.name)

    def get(self, key: str, default=None):
        entry = self._answers.get(key)
        return entry["value"] if entry is not None else default

    def saved_at(self, key: str) -> str | None:
        entry = self._answers.get(key)
        return entry.get("saved") if entry else None

    def keys(self) -> list[str]:
        return sorted(self._answers)

    def saved_times(self) -> list[str]:
        """When each answer was saved (ISO times, oldest first)."""
        return sorted(e["saved"] for e in self._answers.values() if isinstance(e.get("saved"), str))

    def seconds_active(self) -> int | None:
        """The time spent in the lesson, counted from the learner's own actions (None: not recorded)."""
        value = self.get(ACTIVITY)
        seconds = value.get("seconds") if isinstance(value, dict) else None
        return seconds if isinstance(seconds, int) and seconds >= 0 else None

    def _read(self) -> dict[str, dict]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            if self.path.stat().st_size > MAX_BYTES:
                raise StoreError(N_("Your saved answers file ({file}) is too large to be an answers file."),
                                 file=self.path.name)
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            raise StoreError(DAMAGED, file=self.path.name) from None
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict) or not all(
            isinstance(v, dict) and "value" in v for v in answers.values()
        ):
            raise StoreError(DAMAGED, file=self.path.name)
        if data.get("lesson") != self.lesson_id:
            raise StoreError(N_("The answers file {file} in this folder belongs to another lesson ({other}), not "
                                "to this one."), file=self.path.name, other=repr(data.get("lesson")))
        self.language = known(data.get("language"))
        return answers

    def _keep_damaged_copy(self) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        n = 1
        while copy.exists():
            copy = self.path.with_name(f"{self.path.stem}.damaged-{stamp}-{n}{self.path.suffix}")
            n += 1
        shutil.copy2(self.path, copy)
        return copy

    # -- writing ---------------------------------------------------------------------------
    def save(self, key: str, value) -> None:
        """Save one answer, keeping every other answer already on disk; the learner was active now."""
        value = json.loads(json.dumps(value))  # stored as it will read back: tuples become lists
        now = datetime.now(UTC)
        self._write(key, {"value": value, "saved": _stamp(now)}, now)

    def note_activity(self) -> None:
        """The learner is here now (they opened the lesson): the time from now to their next action
        counts. Nothing is written: opening a lesson leaves no answers file behind."""
        self._seen = datetime.now(UTC)

    def discard(self, key: str) -> None:
        """Forget one entry (a draft that has now been saved properly)."""
        if key in self._answers or (self.writable and self.path.exists()):
            self._write(key, None)

    def _write(self, key: str, entry: dict | None, now: datetime | None = None) -> None:
        """Write ``entry`` under ``key`` (None: remove it), and, with ``now``, count the time since the
        learner's last action."""
        if not self.writable:
            self._answers.pop(key, None)  # remembered for this page only
            if entry is not None:
                self._answers[key] = entry
            return
        try:
            on_disk = self._read()
        except StoreError:
            if self.problem is None:  # damaged since it was loaded: keep a copy before replacing it
                self._keep_damaged_copy()
            on_disk = {}
        answers = {**self._answers, **on_disk, key: entry}
        if entry is None:
            del answers[key]
        if now is not None:
            answers[ACTIVITY] = _active(answers.get(ACTIVITY), now, self._seen)
            self._seen = None
        elif answers == on_disk:
            self._answers = answers
            return
        data = {"format": FORMAT, "lesson": self.lesson_id, "answers": answers}
        if language := known(self.answering_in) or self.language:
            data["language"] = self.language = language
        atomic_write(self.path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True))
        self._answers = answers
