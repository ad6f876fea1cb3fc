"""nbgrader's exchange, with a class's rules (``c.ExchangeFactory`` in ``grading/nbgrader_config.py``,
so ``nbgrader collect`` / ``release_feedback`` and Formgrader's buttons follow them alike).

Collecting: a learner is who their login says. ``nbgrader submit --student <anyone>`` is accepted
by nbgrader's exchange, and its collect only warns when the folder's owner is someone else; here
such a hand-in is left in the exchange, as is one whose id the course does not accept or who is
not in the class list. Only files and folders are copied (a link would copy what it points to,
with the instructor's rights; a pipe would stop the collect).

Returning feedback: a page whose hand-in came without nbgrader's ``submission_secret.txt`` (copied
by hand, emailed) cannot go back through the exchange; it is named, for the instructor to hand
back, and every other page is released. Feedback shows the right answers, so while a lesson's
due date is ahead it is held, unless the instructor says otherwise.
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import sys
from datetime import UTC, datetime

from nbgrader.exchange.default import ExchangeCollect, ExchangeReleaseFeedback
from nbgrader.utils import ignore_patterns
from traitlets import Bool, Unicode

from .intake import SECRET, TIMESTAMP
from .roster import id_problem


class CourseCollect(ExchangeCollect):
    """``nbgrader collect`` (``c.ExchangeFactory.collect``)."""

    account_prefix = Unicode("", help="A learner <id> hands in from the account <prefix><id> (the course's "
                                      "JupyterHub: learner-<id>); '' where the account is the id").tag(config=True)

    def init_src(self):
        super().init_src()
        from nbgrader.api import Gradebook

        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            known = {s.id for s in gb.students}
        kept = []
        for rec in self.src_records:
            learner, path = rec["username"], os.path.join(self.inbound_path, rec["filename"])
            if why := id_problem(learner):
                self.log.error("Not collected: %r is not an id the course accepts (%s)", learner, why)
            elif self.check_owner and (owner := _owner(path)) != self.account_prefix + learner:
                self.log.error("Not collected: %s was handed in as %r by the account %r; a learner hands in as "
                               "themselves (set CollectApp.check_owner = False only if every learner shares one "
                               "account)", rec["filename"], learner, owner)
            elif learner not in known:
                self.log.error("Not collected: %r is not in the class list (add them with course roster import, "
                               "then collect again)", learner)
            else:
                kept.append(rec)
        self.src_records = kept

    def do_copy(self, src, dest, log=None):
        """nbgrader's copy (its ignore list and size caps), with only regular files and folders."""
        nbgrader_ignores = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                           max_file_size=self.coursedir.max_file_size, log=self.log)

        def ignore(folder, names):
            left_out = set(nbgrader_ignores(folder, names))
            for name in set(names) - left_out:
                mode = os.lstat(os.path.join(folder, name)).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    self.log.warning("Left out %r of %s: it is a link or a special file, not a file", name, src)
                    left_out.add(name)
            return left_out

        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"{src} is larger than CourseDirectory.max_dir_size allows")
        shutil.copytree(src, dest, ignore=ignore)


def _owner(path: str) -> str:
    if sys.platform == "win32":
        return ""
    import pwd

    try:
        return pwd.getpwuid(os.lstat(path).st_uid).pw_name
    except (KeyError, OSError):
        return "an unknown account"


class CourseReleaseFeedback(ExchangeReleaseFeedback):
    """``nbgrader release_feedback`` (``c.ExchangeFactory.release_feedback``)."""

    before_due_date = Bool(False, help="Release feedback (which shows the right answers) before the lesson's due "
                                       "date, while other learners may still be working on it.").tag(config=True)

    def copy_files(self):
        if not self.before_due_date and (due := self._due_date()) and datetime.now(UTC).replace(tzinfo=None) < due:
            self.fail(f"Feedback for {self.coursedir.assignment_id} shows the right answers, so it is held until the "
                      f"lesson's due date ({due:%Y-%m-%d %H:%M} UTC) while others may still be working on it. "
                      "Release it then, or now with --CourseReleaseFeedback.before_due_date=True")
        by_hand = []
        for folder in sorted({os.path.dirname(p) for p in glob.glob(os.path.join(self.src_path, "*.html"))}):
            if not all(os.path.isfile(os.path.join(folder, name)) for name in (SECRET, TIMESTAMP)):
                by_hand.append(os.path.basename(os.path.dirname(folder)))
                self.log.warning("Not released through the exchange: %s (the hand-in came without nbgrader's %s, "
                                 "copied by hand or sent another way); give the learner its page yourself",
                                 folder, SECRET)
        excluded = self.coursedir.student_id_exclude
        self.coursedir.student_id_exclude = ",".join(filter(None, [excluded, *by_hand]))
        try:
            super().copy_files()
        finally:
            self.coursedir.student_id_exclude = excluded

    def _due_date(self):
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                return gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                return None

