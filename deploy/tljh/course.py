"""The course on The Littlest JupyterHub (docs/hub.md): copy to /opt/tljh/config/jupyterhub_config.d/.

TLJH keeps its own JupyterHub, Traefik proxy with HTTPS, systemd spawner (an account jupyter-<name> per
user) and user environment (/opt/tljh/user, where the course is installed). This adds what the course
needs: first-use logins limited to the class lists, nbgrader's groups, the learner's JupyterLab for
learners and the instructor page with Formgrader for instructors, nbgrader's folder exchange. Edit the
lines marked CHANGE-ME, then: sudo tljh-config set auth.type firstuseauthenticator.FirstUseAuthenticator
&& sudo tljh-config reload. Not run here (TLJH needs systemd and a whole VM).
"""

import os

c = get_config()  # noqa: F821 - given by JupyterHub when it reads this file

COURSE = "/srv/course"  # a clone of the course, installed with /opt/tljh/user/bin/pip install -e /srv/course
EXCHANGE = "/srv/nbgrader/exchange"  # sudo mkdir -p /srv/nbgrader/exchange && sudo chmod 777 /srv/nbgrader/exchange
cohorts = {"ot-in-special-education": ["ana", "ben"]}  # CHANGE-ME: each cohort's class list ids
instructors = ["teacher"]  # CHANGE-ME

c.FirstUseAuthenticator.create_users = False
c.Authenticator.username_pattern = r"^[a-z0-9][a-z0-9._-]{0,23}$"
c.Authenticator.allowed_users = {*instructors, *(n for names in cohorts.values() for n in names)}
c.JupyterHub.load_groups = {"instructors": {"users": instructors}}
for cohort, learners in cohorts.items():
    c.JupyterHub.load_groups[f"nbgrader-{cohort}"] = {"users": learners}
    c.JupyterHub.load_groups[f"formgrade-{cohort}"] = {"users": instructors}
c.JupyterHub.active_server_limit = 40

c.Spawner.cmd = ["/opt/tljh/user/bin/python", "-m", "course_lib.hub.learner"]
c.Spawner.default_url = "/course/home"
c.Spawner.mem_limit = "1G"  # TLJH's systemd spawner enforces it with a cgroup


def course_server(spawner):
    groups = sorted(g.name for g in spawner.user.groups)
    teaching = [g.removeprefix("formgrade-") for g in groups if g.startswith("formgrade-")]
    learning = [g.removeprefix("nbgrader-") for g in groups if g.startswith("nbgrader-")]
    spawner.environment.update(COURSE_HUB_COURSE=(teaching or learning or [""])[0], COURSE_HUB_EXCHANGE=EXCHANGE)
    if teaching:
        spawner.cmd = [os.path.join(COURSE, "deploy", "z2jh", "instructor-start.sh")]
        spawner.default_url = "/course/class"


c.Spawner.pre_spawn_hook = course_server
