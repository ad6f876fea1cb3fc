"""nbgrader configuration for the course. Run nbgrader's own commands from this folder.

``notebooks/`` (one folder per lesson) is the source; nbgrader's standard folders
(``release/``, ``submitted/``, ``autograded/``, ``feedback/``) and ``gradebook.db`` live here.
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "ot-in-special-education"
c.CourseDirectory.source_directory = "../notebooks"

# Leave editor leftovers and half-written temporary files out of every copy nbgrader makes.
# (Not my-answers.json: it is what autograde grades. Lessons opened in notebooks/ never
# write one: see course_lib/lesson.py, "preview".)
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*.tmp"]

# Each lesson notebook starts a kernel and draws its widgets; leave room on a slow machine.
c.Execute.timeout = 120
