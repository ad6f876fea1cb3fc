"""nbgrader preprocessors of the course. MarkPersonGraded: whether a person has graded the
reflection yet (nbgrader shows 0 points either way), so the page can say "not given yet"."""

from __future__ import annotations

from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor


class MarkPersonGraded(NbGraderPreprocessor):
    """Adds ``nbgrader.graded_by_person`` to each task cell of a notebook being turned into feedback."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("task"):
                    grade = gb.find_grade(meta["grade_id"], info["notebook"], info["assignment"], info["student"])
                    meta["graded_by_person"] = grade.manual_score is not None
        return nb, resources
