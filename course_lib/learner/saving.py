"""What the learner's JupyterLab writes when it saves a lesson: the lesson, not its outputs.

A lesson's outputs are widget views. The widgets live in the kernel, which is gone the next
time the file is opened, so saved views would show "model not found". The learner's
JupyterLab runs a lesson's code again whenever it opens one, so nothing is lost by not
saving them. Only course notebooks (notebook metadata ``course``) are changed; a notebook
of the learner's own is saved as it is. Set as ``FileContentsManager.pre_save_hook`` in
``jupyter/jupyter_server_config.json``, which only ``course start`` reads.
"""

from __future__ import annotations


def is_course_notebook(content) -> bool:
    metadata = content.get("metadata") if isinstance(content, dict) else None
    return isinstance(metadata, dict) and isinstance(metadata.get("course"), dict)


def drop_course_outputs(model, **_kwargs) -> None:
    """A ``pre_save_hook``: empty the outputs and execution counts of a course notebook's code cells."""
    if model.get("type") != "notebook" or not is_course_notebook(content := model.get("content")):
        return
    for cell in content.get("cells") or []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
