"""One autograding worker: nbgrader loaded once, then hand-in after hand-in.

Run by :mod:`course_lib.instructor.autograding` as ``python -m course_lib.instructor.worker GRADING``
in its own process group, so that a hand-in over its time budget can be stopped together with the
kernel it started. Reads one JSON job a line on stdin (``{"lesson", "learner", "create"}``), grades
it with nbgrader's own API (and so the clean intake of ``grading/nbgrader_config.py``) from the
folders :func:`.handins.take_in` made in ``grading/.intake/``, checks the result is whole, and
answers one JSON line: ``ok`` with the points, or the error, and whether the gradebook stopped answering.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> int:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from ..layout import CourseLayout
    from ..publish.nbgrader import nbgrader_api
    from .gradebook import automatic_points, db_url, incomplete
    from .handins import INTAKE
    from .intake import unclean

    layout = CourseLayout(Path(sys.argv[1]).resolve().parent)
    url = db_url(layout)
    if url.startswith("sqlite:///") and "?" not in url:  # graders write at once: wait for a turn, not fail
        url += "?timeout=120"
    api = nbgrader_api(layout, submitted_directory=INTAKE, db_url=url)
    from nbgrader.api import Gradebook

    gb = Gradebook(url)  # kept open: opening one costs more than a query
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        lesson, learner = job["lesson"], job["learner"]
        started = time.monotonic()
        result = api.autograde(lesson, learner, force=True, create=job.get("create", False))
        answer = {"ok": bool(result.get("success")), "seconds": round(time.monotonic() - started, 2)}
        gb.db.expire_all()
        try:
            if answer["ok"] and (why := incomplete(gb, lesson, learner) or unclean(layout, learner, lesson)):
                answer.update(ok=False, error=f"the grading did not finish whole: {why}")
            elif answer["ok"]:
                answer["points"] = automatic_points(gb, lesson, learner)
            else:
                answer["error"] = (result.get("error") or result.get("log") or "")[-3000:]
                gb.db.execute(text("SELECT 1"))
        except OperationalError as exc:
            gb.db.rollback()
            answer.update(ok=False, unreachable=True, error=str(getattr(exc, "orig", exc))[:300])
        print(json.dumps(answer), flush=True)
    gb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
