#!/bin/sh
# An instructor's server on Kubernetes or TLJH: the cohort's nbgrader course folder in their home (made once, kept on
# their volume), then the instructor page and formgrader there (course_lib.hub.instructor).
set -eu
course="$HOME/course"
mkdir -p "$course/grading"
ln -sfn /srv/course/notebooks "$course/notebooks"
ln -sfn /srv/course/assets "$course/assets"
if [ ! -f "$course/grading/nbgrader_config.py" ]; then
  cat > "$course/grading/nbgrader_config.py" <<CONFIG
import os
c = get_config()
load_subconfig("/srv/course/grading/nbgrader_config.py")
c.CourseDirectory.course_id = "${COURSE_HUB_COURSE}"
c.CourseDirectory.root = "$course/grading"
if os.environ.get("COURSE_HUB_EXCHANGE"):  # a folder exchange (TLJH); on Kubernetes, ngshare
    c.Exchange.root = os.environ["COURSE_HUB_EXCHANGE"]
CONFIG
fi
cd "$course/grading"
exec python -m course_lib.hub.instructor
