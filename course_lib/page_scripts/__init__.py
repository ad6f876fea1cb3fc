"""Scripts that course pages load in the browser, in one folder both page servers use: the web
view's template (:mod:`course_lib.web`) and the learner's JupyterLab (:mod:`course_lib.learner`).
Neither needs the other to find them, and importing this loads nothing else. Each server serves
:data:`PAGE_SCRIPTS` as static files, so it holds the scripts and nothing else.
"""

from pathlib import Path

PAGE_SCRIPTS = Path(__file__).resolve().parent / "js"
