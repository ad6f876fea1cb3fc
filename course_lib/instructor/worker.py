"""One autograding worker: nbgrader loaded once, then hand-in after hand-in.

Run by :mod:`course_lib.instructor.autograding` as ``python -m course_lib.instructor.worker GRADING``
in its own process group, so that a hand-in over its time budget can be stopped together with the
kernel it started. Reads one JSON job a line on stdin (``{"lesson", "learner"}``), grades
it with nbgrader's own API (and so the clean intake of ``grading/nbgrader_config.py``) from the
folders :func:`.handins.take_in` made in ``grading/.intake/``, checks the result is whole, and
answers one JSON line: ``ok`` with the points, or the error, and why the gradebook does not answer
if it does not (then the run stops).

A worker keeps its kernel from one hand-in to the next (:class:`KeptKernel`): starting a kernel
was half the machine's work per hand-in. nbgrader's own doors start one per hand-in, as nbgrader
does; here the clean intake means a kernel only ever runs the course's own cells, and each hand-in
still starts clean (see :class:`KeptKernel`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.preprocessors import Execute

RESET = """\
%reset -f
import os as _os, sys as _sys
_os.chdir({path!r})
for _name in [_m for _m in _sys.modules if _m == "course_lib" or _m.startswith("course_lib.")]:
    del _sys.modules[_name]
del _os, _sys, _name
get_ipython().execution_count = 1
"""


class KeptKernel(Execute):
    """nbgrader's Execute with one kernel kept for a worker's hand-ins (``Autograde.autograde_preprocessors``).

    Before each hand-in the kernel forgets everything (IPython's ``%reset``), loads the course's
    modules afresh and moves to the hand-in's folder, so nothing of one hand-in reaches the next. A
    kernel that showed an error, or has served :attr:`USES` hand-ins, is replaced."""

    USES = 50
    _km = None
    _used = 0

    def preprocess(self, nb, resources=None, km=None):
        from jupyter_core.utils import run_sync

        kept = type(self)
        if kept._km is not None and not run_sync(kept._km.is_alive)():
            kept._km = None
        fresh = kept._km is None
        if fresh:
            self.nb = nb  # create_kernel_manager reads the notebook's kernel
            kept._km, kept._used = self.create_kernel_manager(), 0
        else:
            nb.cells.insert(0, nbformat.v4.new_code_cell(RESET.format(path=resources["metadata"]["path"])))
        try:
            nb, resources = super().preprocess(nb, resources, km=kept._km)
        except BaseException:
            self.replace()
            raise
        finally:
            if not fresh:
                nb.cells.pop(0)
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
        kept._used += 1
        if kept._used >= self.USES or any(o.get("output_type") == "error" for c in nb.cells
                                          if c.cell_type == "code" for o in c.outputs):
            self.replace()
        return nb, resources

    @classmethod
    def replace(cls) -> None:
        """Stop the kept kernel; the next hand-in starts a new one."""
        from jupyter_core.utils import run_sync

        km, cls._km = cls._km, None
        if km is not None and km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)


def main() -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from ..layout import CourseLayout
    from ..publish.nbgrader import course_config, nbgrader_api
    from .gradebook import automatic_points, db_url, incomplete
    from .handins import INTAKE
    from .intake import unclean

    layout = CourseLayout(Path(sys.argv[1]).resolve().parent)
    url = db_url(layout)
    if url.startswith("sqlite:///") and "?" not in url:  # graders write at once: wait for a turn, not fail
        url += "?timeout=120"
    try:
        from nbgrader.api import Gradebook
        from nbgrader.converters import Autograde

        config = course_config(layout.grading, submitted_directory=INTAKE, db_url=url)
        config.Autograde.autograde_preprocessors = [KeptKernel if p is Execute else p for p in
                                                    Autograde(config=config).autograde_preprocessors]
        api = nbgrader_api(layout, config)

        gb = Gradebook(url)  # kept open: opening one costs more than a query
    except SQLAlchemyError:
        print(json.dumps({"ready": False, "unreachable": _unreachable(url)}), flush=True)
        return 1
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        lesson, learner = job["lesson"], job["learner"]
        started = time.monotonic()
        result = api.autograde(lesson, learner, force=True, create=False)
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
