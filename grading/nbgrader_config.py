"""nbgrader configuration for the course. Run nbgrader's own commands from this folder.

``notebooks/`` (one folder per lesson) is the source; nbgrader's standard folders
(``release/``, ``submitted/``, ``autograded/``, ``feedback/``) and ``gradebook.db`` live here.
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "ot-in-special-education"
c.CourseDirectory.source_directory = "../notebooks"

# Never copy a learner's saved answers or editor leftovers into a release.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
    "my-answers*.json", ".my-answers*.tmp",
]

# Each lesson notebook starts a kernel and draws its widgets; leave room on a slow machine.
c.Execute.timeout = 120
