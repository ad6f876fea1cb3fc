"""The class list: which learner ids the course accepts, and a CSV import that checks before it writes.

A learner id names a folder, a file in nbgrader's exchange and a row of the grades; nbgrader uses
it as a file pattern, and the instructor pastes commands that hold it. So an id is a login-like
name (letters, digits and ``_ . @ + -``, starting with a letter, digit or ``_``): no pattern
characters (``l*`` would match every learner starting with "l"), no spaces or quotes, nothing a
spreadsheet reads as a formula. nbgrader's own ``db student import`` takes any id and lets a
repeated one replace the first silently; ``course roster import`` refuses both, and says what it
will change before it writes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..layout import CourseLayout

SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,63}")
COLUMNS = ("id", "first_name", "last_name", "email", "lms_user_id")  # nbgrader's own


def id_problem(learner_id: str) -> str:
    """Why ``learner_id`` cannot be a learner's id ("" if it can)."""
    if SAFE_ID.fullmatch(learner_id):
        return ""
    return ("an id is one word of at most 64 letters, digits and _ . @ + -, starting with a letter, digit or _ "
            "(like a login)")


@dataclass
class ClassList:
    learners: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> names and email
    problems: list[str] = field(default_factory=list)  # each stops the import
    notes: list[str] = field(default_factory=list)  # said, and the import goes on


def read_class_list(path: Path) -> ClassList:
    """The learners of a CSV file with nbgrader's columns (``id,first_name,last_name,email``)."""
    out = ClassList()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        out.problems.append(f"{path.name} is not saved as UTF-8, so accented names would be garbled: save it "
                            "again as 'CSV UTF-8' (Excel: File > Save As; LibreOffice: Character set UTF-8)")
        return out
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if "id" not in header:
        out.problems.append(f"{path.name} has no 'id' column: its first line must name the columns, "
                            "e.g. id,first_name,last_name,email")
        return out
    if unknown := [h for h in header if h and h not in COLUMNS]:
        out.notes.append(f"columns left out (the gradebook has no place for them): {', '.join(unknown)}")
    seen: dict[str, int] = {}
    blank = []
    for line, row in enumerate(rows[1:], start=2):
        values = dict(zip(header, (v.strip() for v in row), strict=False))
        if not any(values.values()):
            blank.append(line)
            continue
        learner = values.get("id", "")
        if not learner:
            out.problems.append(f"line {line}: no id ({', '.join(v for v in row if v.strip())[:60]})")
            continue
        if why := id_problem(learner):
            out.problems.append(f"line {line}: the id {learner!r} cannot be used: {why}")
            continue
        twin = seen.get(learner.lower())
        if twin is not None:
            same = [k for k in out.learners if k.lower() == learner.lower()][0]
            out.problems.append(f"line {line}: the id {learner!r} is already on line {twin}"
                                + ("" if same == learner else f" (as {same!r}: ids that differ only in capitals "
                                   "are too easy to mix up)") + ": give each learner their own id")
            continue
        seen[learner.lower()] = line
        out.learners[learner] = {k: values.get(k, "") for k in COLUMNS[1:] if k in header}
    if blank:
        out.notes.append(f"blank line(s) skipped: {', '.join(map(str, blank[:10]))}" + (" ..." if len(blank) > 10
                                                                                       else ""))
    if not out.learners and not out.problems:
        out.problems.append(f"{path.name} lists no learners")
    return out


def import_class_list(layout: CourseLayout, path: Path, *, write: bool = True, say=print) -> bool:
    """Check ``path``, say what would change in the gradebook, and write it only if nothing is wrong
    (and ``write``). Returns whether the file was good."""
    from . import gradebook

    found = read_class_list(path)
    for note in found.notes:
        say(f"- note: {note}")
    if found.problems:
        say(f"{path.name} was not imported; nothing was changed. Mend these and import it again:")
        for problem in found.problems:
            say(f"- {problem}")
        return False
    before = gradebook.roster(layout)
    new = [i for i in found.learners if i not in before]
    changed = [i for i, v in found.learners.items()
               if i in before and any(v.get(k, "") != before[i].get(k, "") for k in v if k in before[i])]
    missing = sorted(set(before) - set(found.learners))
    say(f"{len(found.learners)} learner(s) in {path.name}: {len(new)} new, {len(changed)} with changed details"
        + (f" ({', '.join(changed[:5])})" if changed else ""))
    if missing:
        say(f"- in the class list but not in this file, and kept: {', '.join(missing[:10])}"
            + (" ..." if len(missing) > 10 else "") + " (to remove one with their grades: nbgrader db student "
            "remove ID --force, in grading/)")
    if not write:
        say("Nothing was written (--check).")
        return True
    with gradebook.gradebook(layout) as gb:
        for learner, details in found.learners.items():
            gb.update_or_create_student(learner, **{k: v or None for k, v in details.items()})
    say(f"Wrote the class list to the gradebook ({len(found.learners)} learner(s)).")
    return True
