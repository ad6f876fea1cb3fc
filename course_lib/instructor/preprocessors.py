"""What nbgrader's feedback command uses of the course's: the exporter that writes a parent's
feedback page, and a preprocessor it needs (``c.GenerateFeedback`` in ``grading/nbgrader_config.py``,
so ``nbgrader generate_feedback``, Formgrader's buttons and ``course feedback`` make the same page).

``FeedbackExporter`` is nbgrader's HTML exporter under another name, so that the course's
template is set for feedback pages alone: Formgrader's own pages keep nbgrader's templates. It also gives
the template the learner's language (``resources.course``): the one their answers file says they
answered in, and its words, so a learner who took the lesson in Spanish reads their feedback in it.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets.config import Config

from .intake import SECRET, TIMESTAMP, prune

TEMPLATES = Path(__file__).resolve().parent / "templates"


class FeedbackExporter(HTMLExporter):
    """The exporter of ``nbgrader generate_feedback`` (``c.GenerateFeedback.exporter_class``).

    nbgrader copies every file of the graded folder beside the page, the lesson's data (with its
    keys) included; only what ``release_feedback`` reads stays there."""

    def __init__(self, config=None, **kwargs):
        # as configuration, not defaults: nbgrader configures HTMLExporter (its own feedback template),
        # which would outrank a subclass's defaults; this class's own section outranks it
        ours = Config()
        ours.merge(config or Config())
        ours.merge(Config({"FeedbackExporter": {"template_name": "course_feedback",
                                                "extra_template_basedirs": [str(TEMPLATES)]}}))
        super().__init__(config=ours, **kwargs)

    def from_filename(self, filename, resources=None, **kw):
        coursedir = self.parent.coursedir
        info = resources["nbgrader"]
        folder = Path(coursedir.format_path(coursedir.feedback_directory, info["student"], info["assignment"]))
        prune(folder, {TIMESTAMP, SECRET} | {p.name for p in folder.glob("*.html")})  # pages of other notebooks
        return super().from_filename(filename, resources, **kw)

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        resources["course"] = feedback_language(Path(resources.get("metadata", {}).get("path") or "."))
        return super().from_notebook_node(nb, resources, **kw)


def feedback_language(folder: Path) -> dict:
    """The language of the feedback page of the hand-in in ``folder``, for its template: ``language``
    (its code) and ``_`` (its words, as :meth:`course_lib.i18n.Language._` says them)."""
    from ..i18n import language
    from ..layout import ANSWERS_FILE
    from ..store import answers_language
    from ..translation import translation_file

    code = answers_language(folder / ANSWERS_FILE)
    t = language(code if code and translation_file(folder, code).is_file() else None)
    return {"language": t.code, "_": t._}


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
