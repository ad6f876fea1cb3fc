"""What nbgrader's feedback command uses of the course's: the exporter that writes a parent's
feedback page, and a preprocessor it needs.

``FeedbackExporter`` is nbgrader's HTML exporter under another name, so that the course's
template is set for feedback pages alone (``c.FeedbackExporter.template_name`` in
``grading/nbgrader_config.py``): formgrader's own pages keep nbgrader's templates.
"""

from __future__ import annotations

from nbconvert.exporters import HTMLExporter
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor


class FeedbackExporter(HTMLExporter):
    """The exporter of ``nbgrader generate_feedback`` (``c.GenerateFeedback.exporter_class``)."""


class MarkPersonGraded(NbGraderPreprocessor):
    """Adds ``nbgrader.graded_by_person`` to each task cell of a notebook being turned into feedback:
    whether a person has graded the reflection yet (nbgrader shows 0 points either way), so the
    page can say "not given yet"."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("task"):
                    grade = gb.find_grade(meta["grade_id"], info["notebook"], info["assignment"], info["student"])
                    meta["graded_by_person"] = grade.manual_score is not None
        return nb, resources
