"""nbgrader's global settings in the course's image (/etc/jupyter/nbgrader_config.py): ngshare as the exchange.

Learners and instructors need nothing else: the cohort comes from the hub (COURSE_HUB_COURSE, set by
values.yaml's pre_spawn_hook from the nbgrader-<cohort> / formgrade-<cohort> groups).
"""

import os

from ngshare_exchange import configureExchange

c = get_config()  # noqa: F821
configureExchange(c, "http://ngshare.course.svc.cluster.local:8080/services/ngshare")  # CHANGE-ME: namespace
c.CourseDirectory.course_id = os.environ.get("COURSE_HUB_COURSE") or "*"
