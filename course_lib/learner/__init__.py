"""The self-paced learner's JupyterLab, as ``course start`` opens it: a learner's, not a programmer's.

* :mod:`.lab` runs JupyterLab on the learner's workspace with the course's own settings
  (``jupyter/``: no nbgrader menus, panels or Validate button, no news pop-up), a stable
  address, and one short message.
* ``labextensions/course-learner`` is a small JupyterLab extension that makes a lesson open
  ready: its code runs by itself, out of sight, without moving the page. Why it is plain
  JavaScript with no build step is explained at the top of its ``static/remoteEntry.js``.
* :mod:`.saving` keeps widget views out of saved lessons.

None of this is loaded by the instructor's JupyterLab (``jupyter lab`` in ``grading/``) or by
the web view: it is found only through the paths ``course start`` gives its JupyterLab.
"""
