"""One autograding worker: nbgrader loaded once, then hand-in after hand-in.

Run by :mod:`course_lib.instructor.autograding` as ``python -m course_lib.instructor.worker GRADING``
in its own process group, so that a hand-in over its time budget can be stopped together with the
kernel it started. Reads one JSON job a line on stdin (``{"lesson", "learner", "create"}``), grades
it with nbgrader's own API from the clean copies in ``grading/.intake/``, and answers one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> int:
    grading = Path(sys.argv[1]).resolve()
    from nbgrader.apps.api import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    from .handins import INTAKE

    config = PyFileConfigLoader("nbgrader_config.py", path=str(grading)).load_config()
    config.CourseDirectory.root = str(grading)
    config.CourseDirectory.submitted_directory = INTAKE
    url = config.CourseDirectory.get("db_url") or f"sqlite:///{grading / 'gradebook.db'}"
    if url.startswith("sqlite:///") and "?" not in url:  # graders write at once: wait for a turn, not fail
        config.CourseDirectory.db_url = url + "?timeout=120"
    api = NbGraderAPI(config=config)
    from nbgrader.api import Gradebook

    from .gradebook import automatic_points

    gb = Gradebook(api.coursedir.db_url)  # kept open: opening one costs more than a query
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        started = time.monotonic()
        result = api.autograde(job["lesson"], job["learner"], force=True, create=job.get("create", False))
        answer = {"ok": bool(result.get("success")), "seconds": round(time.monotonic() - started, 2)}
        if answer["ok"]:
            gb.db.expire_all()
            answer["points"] = automatic_points(gb, job["lesson"], job["learner"])
        else:
            answer["error"] = (result.get("error") or result.get("log") or "")[-3000:]
        print(json.dumps(answer), flush=True)
    gb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
