"""A class on JupyterHub: ``course hub`` serves one or more cohorts of the course on one machine.

* :mod:`.settings`: the hub folder (``hub/`` by default) and its ``hub.yaml``: instructors,
  cohorts and their class lists, limits;
* :mod:`.command`: ``course hub``: prepares the cohorts' course folders, the class lists, the
  proxy (``configurable-http-proxy`` from npm, pinned in ``proxy/package-lock.json``), then runs
  JupyterHub and prints one address;
* :mod:`.config`: the JupyterHub configuration (``jupyterhub_config.py`` calls it): accounts with
  first-use passwords from the class lists (:mod:`.auth`), nbgrader's groups per cohort, a
  formgrader and instructor page per cohort, the web view and the idle culler as hub services,
  a cap on learners' servers with a plain "the course is full" page;
* :mod:`.spawner`: each learner's server as their own system account when the hub runs as root;
* :mod:`.learner`: the learner's server: the learner's JupyterLab that ``course start`` gives, and
  lessons and feedback arriving by themselves (:mod:`.exchange`);
* :mod:`.instructor`: the instructor page (release, collect, grade, return feedback, grades) beside
  nbgrader's formgrader.

A lesson's own "Hand in" button is :mod:`course_lib.handin`. docs/hub.md says how it fits together.
"""
