"""One autograding worker: nbgrader loaded once, then hand-in after hand-in.

Run by :mod:`course_lib.instructor.autograding` as ``python -m course_lib.instructor.worker GRADING``
in its own process group, so that a hand-in over its time budget can be stopped together with the
kernel it started. Reads one JSON job a line on stdin (``{"lesson", "learner", "create"}``), grades
it with nbgrader's own API (and so the clean intake of ``grading/nbgrader_config.py``) from the
folders :func:`.handins.take_in` made in ``grading/.intake/``, checks the result is whole, and
answers one JSON line: ``ok`` with the points, or the error, and why the gradebook does not answer
if it does not (then the run stops).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from ..layout import CourseLayout
    from ..publish.nbgrader import nbgrader_api
    from .gradebook import automatic_points, db_url, incomplete
    from .handins import INTAKE
    from .intake import unclean

    layout = CourseLayout(Path(sys.argv[1]).resolve().parent)
    url = db_url(layout)
    if url.startswith("sqlite:///") and "?" not in url:  # graders write at once: wait for a turn, not fail
        url += "?timeout=120"
    try:
        api = nbgrader_api(layout, submitted_directory=INTAKE, db_url=url)
        from nbgrader.api import Gradebook

        gb = Gradebook(url)  # kept open: opening one costs more than a query
    except SQLAlchemyError:
        print(json.dumps({"ready": False, "unreachable": _unreachable(url)}), flush=True)
        return 1
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        lesson, learner = job["lesson"], job["learner"]
        started = time.monotonic()
        result = api.autograde(lesson, learner, force=True, create=job.get("create", False))
        answer = {"ok": bool(result.get("success")), "seconds": round(time.monotonic() - started, 2)}
        try:
            gb.db.expire_all()
            if answer["ok"] and (why := incomplete(gb, lesson, learner) or unclean(layout, learner, lesson)):
                answer.update(ok=False, error=f"the grading did not finish whole: {why}")
            elif answer["ok"]:
                answer["points"] = automatic_points(gb, lesson, learner)
            else:
                answer["error"] = (result.get("error") or result.get("log") or "")[-3000:]
        except SQLAlchemyError as exc:
            gb.db.rollback()
            answer.update(ok=False, error=str(getattr(exc, "orig", exc))[:300])
        if not answer["ok"] and (why := _unreachable(url)):
            answer["unreachable"] = why
        print(json.dumps(answer), flush=True)
    gb.close()
    return 0


def _unreachable(url: str) -> str:
    """Why the gradebook does not answer a new connection ("" if it does)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url)
    try:
        with engine.connect() as db:
            db.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["no reason given"])[0][:200]
    finally:
        engine.dispose()
    return ""


if __name__ == "__main__":
    sys.exit(main())
