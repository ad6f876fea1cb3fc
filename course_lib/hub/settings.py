"""The hub folder and its ``hub.yaml``: who teaches, which cohorts, who is in each, and the limits.

The hub folder (``hub/`` in the course folder by default, ``course hub --dir`` otherwise) holds
everything a class makes, so that stopping and starting the hub loses nothing::

    hub.yaml          the class: instructors, cohorts and their class lists, limits (edit it)
    state/            JupyterHub's database, cookie secret and passwords (mode 0700)
    logs/hub.log      one log: the hub, the proxy, every learner's server and every service
    courses/<id>/     one nbgrader course folder per cohort (its own gradebook), lessons from the course
    exchange/         nbgrader's exchange: lessons out, hand-ins in, feedback back
    home/<learner>/   each learner's own folder
    web-view/         the web view's account's home (its kernels' runtime files)

A learner's id is their login, their nbgrader id and (prefixed) their system account, so it is
held to one safe shape: lower-case letters, digits, ``.``, ``_`` and ``-``, starting with a letter
or digit, at most 24 characters. Capitals are folded (``Ana`` logs in as ``ana``); anything else is
refused with the reason, never changed into a different name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..files import atomic_write, parse_yaml

SETTINGS_FILE = "hub.yaml"
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,23}")
COHORT = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
LEARNER_PREFIX = "learner-"  # learners' system accounts: learner-<login> (TLJH uses jupyter-<name>)
SERVICE_PREFIX = "course-"  # the services' accounts: never a learner's, whatever their login

HEADER = """\
# The class on this hub: read by `course hub` each time it starts (docs/hub.md).
#   instructors: logins that get each cohort's instructor page and formgrader
#   cohorts: one nbgrader course each (its own exchange folder, gradebook and groups);
#            roster: a CSV file with the columns id,first_name,last_name,email (nbgrader's)
#   max_servers: learners working at once; the next one sees "the course is full, try again"
#   memory_limit: most memory one learner's server or kernel may use (e.g. 1G)
#   idle_minutes: a learner's server idle this long is stopped (their work stays)
"""


def normal_name(raw: str) -> str | None:
    """The login a raw name stands for (capitals folded, spaces around dropped), or None if unsafe."""
    name = raw.strip().lower()
    return name if NAME.fullmatch(name) else None


@dataclass
class Learner:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass
class Cohort:
    id: str
    roster: Path | None = None
    instructors: list[str] = field(default_factory=list)
    db_url: str | None = None

    def learners(self) -> tuple[list[Learner], list[str]]:
        """The class list's learners, and a line for each row refused (and why)."""
        if self.roster is None:
            return [], []
        learners, problems, seen = [], [], set()
        try:
            text = self.roster.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            return [], [f"{self.roster}: cannot be read as a UTF-8 CSV file ({exc.__class__.__name__})"]
        for n, row in enumerate(csv.DictReader(text.splitlines()), start=2):
            raw = (row.get("id") or "").strip()
            if not raw and not any((v or "").strip() for v in row.values()):
                continue
            name = normal_name(raw)
            if name is None:
                problems.append(f"{self.roster.name} line {n}: {raw!r} is not a usable login (use letters, "
                                "digits, '.', '_' or '-', at most 24 characters); left out")
            elif name in seen:
                problems.append(f"{self.roster.name} line {n}: {name!r} is listed twice; the first is kept")
            else:
                seen.add(name)
                learners.append(Learner(name, *((row.get(k) or "").strip() for k in
                                                ("first_name", "last_name", "email"))))
        return learners, problems


@dataclass
class HubSettings:
    folder: Path
    instructors: list[str] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    max_servers: int = 40
    memory_limit: str = "1G"
    idle_minutes: int = 30

    # -- where things are --------------------------------------------------------------------
    @property
    def state(self) -> Path:
        return self.folder / "state"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def exchange(self) -> Path:
        return self.folder / "exchange"

    @property
    def homes(self) -> Path:
        return self.folder / "home"

    def course_root(self, cohort: Cohort) -> Path:
        return self.folder / "courses" / cohort.id

    def cohort(self, cohort_id: str) -> Cohort:
        return next(c for c in self.cohorts if c.id == cohort_id)

    def instructors_of(self, cohort: Cohort) -> list[str]:
        return sorted({*self.instructors, *cohort.instructors})

    # -- reading and writing hub.yaml --------------------------------------------------------
    @classmethod
    def load(cls, folder: Path) -> HubSettings:
        folder = Path(folder).resolve()
        path = folder / SETTINGS_FILE
        data = parse_yaml(path.read_text(encoding="utf-8")) if path.is_file() else {}
        if not isinstance(data, dict):
            raise ValueError(f"{path} is not a settings file (it should be a YAML mapping)")
        cohorts = []
        for cid, spec in (data.get("cohorts") or {}).items():
            spec = spec or {}
            roster = spec.get("roster")
            cohorts.append(Cohort(str(cid), (folder / roster).resolve() if roster else None,
                                  [str(i) for i in spec.get("instructors") or []], spec.get("db_url")))
        return cls(folder, [str(i) for i in data.get("instructors") or []], cohorts,
                   int(data.get("max_servers", 40)), str(data.get("memory_limit", "1G")),
                   int(data.get("idle_minutes", 30)))

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        cohorts = {}
        for c in self.cohorts:
            spec = {}
            if c.roster:
                spec["roster"] = str(c.roster)
            if c.instructors:
                spec["instructors"] = c.instructors
            if c.db_url:
                spec["db_url"] = c.db_url
            cohorts[c.id] = spec
        data = {"instructors": self.instructors, "cohorts": cohorts, "max_servers": self.max_servers,
                "memory_limit": self.memory_limit, "idle_minutes": self.idle_minutes}
        atomic_write(self.folder / SETTINGS_FILE, HEADER + yaml.safe_dump(data, sort_keys=False))

    def problems(self) -> list[str]:
        """What stops the hub from starting, in words an instructor can act on."""
        found = []
        if not self.cohorts:
            found.append("no cohort: give a class list (course hub --roster FILE) or add one to hub.yaml")
        if not self.instructors and not any(c.instructors for c in self.cohorts):
            found.append("no instructor: give one (course hub --instructor NAME) or add one to hub.yaml")
        for name in [*self.instructors, *(i for c in self.cohorts for i in c.instructors)]:
            if normal_name(name) != name:
                found.append(f"instructor {name!r} is not a usable login (lower-case letters, digits, '.', '_', '-')")
        for c in self.cohorts:
            if not COHORT.fullmatch(c.id):
                found.append(f"cohort {c.id!r}: use lower-case letters, digits and '-' for a cohort's name")
            if c.roster is not None and not c.roster.is_file():
                found.append(f"cohort {c.id}: the class list {c.roster} does not exist")
        return found


def system_name(login: str) -> str:
    """A learner's system account: ``learner-<login>`` (never an existing account such as root)."""
    return LEARNER_PREFIX + login


def grader_name(cohort_id: str) -> str:
    """The system account a cohort's instructor services run as (nbgrader's grader-<course>)."""
    name = f"{SERVICE_PREFIX}grader-{cohort_id}"
    if len(name) > 32:
        import hashlib

        name = f"{SERVICE_PREFIX}grader-{hashlib.sha256(cohort_id.encode()).hexdigest()[:12]}"
    return name


VIEW_ACCOUNT = SERVICE_PREFIX + "view"  # the public web view's account
