"""The self-paced learner's JupyterLab, as ``course start`` opens it: a course, not an editor.

* :mod:`.lab` runs JupyterLab on the learner's workspace with the course's own settings
  (``jupyter/``), a stable address, and one short message; :func:`.lab.learner_settings` is the one
  place that makes a JupyterLab the learner's (a learner's server on the course's hub uses it too):
  the simple interface and four menus hidden (settings overrides, ``labconfig/``), the editor's
  plugins off (page config), no nbgrader menus, panels or news, the course's data out of the file
  list, and each start on the course home alone.
* ``labextensions/course-learner`` is a small JupyterLab extension: a course page opens ready, its
  code out of sight; it cannot be changed by stray keys; one lesson lives on one screen; a click
  never overtakes what was typed. Why it is plain JavaScript with no build step is explained at the
  top of its ``static/remoteEntry.js``.
* :mod:`.saving` is the server's side: course notebooks are read-only, never written or renamed.

None of this is loaded by the instructor's JupyterLab (``jupyter lab`` in ``grading/``) or by
the web view: it is found only through the paths ``course start`` gives its JupyterLab.
"""
