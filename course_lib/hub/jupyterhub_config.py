"""JupyterHub's configuration file for ``course hub``: everything is in :mod:`course_lib.hub.config`."""

from course_lib.hub.config import configure

configure(get_config())  # noqa: F821 - provided by JupyterHub when it reads this file
