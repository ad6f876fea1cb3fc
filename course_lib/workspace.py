"""Make and update a learner's workspace from the course's edition, never losing their work.

The course's files in the workspace (lessons, course pages, tools, their data and pictures) are
the course's: the learner's work is their answers (``my-answers.json``, ``my-progress.json``),
which the course never writes over, and any file of their own. So on every start, for each file of
the edition:

* a file missing is copied in, and one the course changed is updated;
* a course file that differs in substance from the course's version is **repaired**: the course's
  version replaces it, and the copy that was there is kept aside, in ``.changed-copies/<time>/``,
  never deleted (a notebook's substance is its cells' types and sources: JupyterLab adds
  ``language_info``, ids, outputs and execution counts to a lesson merely opened). A lesson damaged
  by two stray key presses in an older version of the learner's JupyterLab, which could still save
  it, opens whole again, with its answers;
* files that are not part of the edition, such as ``my-answers.json``, are never touched; a
  ``<name>.new.ipynb`` that an older version put beside a changed lesson is put aside too, as the
  lesson itself is whole again.

A manifest records, for every file copied in, the course version the learner's copy came from, so
that a file the learner did not change is updated quietly.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from .files import atomic_write
from .i18n import ENGLISH, Language

MANIFEST = ".course-manifest.json"
CHANGED_COPIES = ".changed-copies"
ANSWERS_PREFIX = "my-answers"


@dataclass(frozen=True)
class Version:
    """One version of a file: its bytes' digest and, for a notebook, its cells' digest."""

    sha: str
    cells: str | None = None

    def same_substance(self, other: Version | None) -> bool:
        if other is None:
            return False
        return self.sha == other.sha or (self.cells is not None and self.cells == other.cells)


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    repaired: list[tuple[str, str]] = field(default_factory=list)  # (file, where the copy that was there is)

    def notices(self, t: Language = ENGLISH) -> list[str]:
        """What the learner must know, in their language: only where a changed copy was put aside."""
        return [t._("Repaired {file} from the course (your answers are kept). The copy that was there is in "
                    "{aside}.", file=rel, aside=aside) for rel, aside in self.repaired]

    def summary(self) -> str:
        return "\n".join([f"{len(self.added)} new file(s), {len(self.updated)} updated file(s).", *self.notices()])


def sync_workspace(release: Path, workspace: Path) -> SyncReport:
    if not release.is_dir():
        raise FileNotFoundError(f"There is no student release at {release}. Run 'course release' first.")
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace / MANIFEST)
    report, aside = SyncReport(), Aside(workspace)
    wanted = set()
    for src in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = src.relative_to(release).as_posix()
        if (rel.endswith("README.md") and src.parent == release) or src.name.startswith(ANSWERS_PREFIX):
            continue
        wanted.add(rel)
        dest, new, was = workspace / rel, version_of(src), manifest.get(rel)
        if not dest.exists():
            _copy(src, dest)
            report.added.append(rel)
        elif (have := version_of(dest)).sha != new.sha:
            if not (have.same_substance(was) or have.same_substance(new)):  # changed: keep that copy aside
                report.repaired.append((rel, aside.keep(dest)))
            _copy(src, dest)
            report.updated.append(rel)
        manifest[rel] = new
    for rel in sorted(set(manifest) - wanted):
        if Path(rel).stem.endswith(".new") and (old := workspace / rel).is_file():  # an older version's copy
            if not version_of(old).same_substance(manifest[rel]):
                aside.keep(old)
            old.unlink()
            del manifest[rel]
    atomic_write(workspace / MANIFEST, json.dumps(
        {"format": 2, "files": {rel: asdict(v) for rel, v in sorted(manifest.items())}}, indent=1))
    return report


class Aside:
    """``.changed-copies/<time>/``: where a changed copy of a course file is kept, never deleted."""

    def __init__(self, workspace: Path):
        self.workspace = workspace
        self.folder = workspace / CHANGED_COPIES / datetime.now().strftime("%Y-%m-%d-%H%M%S")

    def keep(self, path: Path) -> str:
        rel = path.relative_to(self.workspace)
        target = self.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        return target.relative_to(self.workspace).as_posix()


def course_notebooks(workspace: Path) -> list[str]:
    """The workspace paths of the notebooks the course put there (lessons, course pages and tools)."""
    return sorted(rel for rel in _read_manifest(workspace / MANIFEST)
                  if rel.endswith(".ipynb") and (workspace / rel).is_file())


def version_of(path: Path) -> Version:
    data = path.read_bytes()
    return Version(hashlib.sha256(data).hexdigest(), _cells_digest(data) if path.suffix == ".ipynb" else None)


def _cells_digest(data: bytes) -> str | None:
    """A digest of a notebook's cell types and sources; None if it cannot be read as a notebook."""
    try:
        cells = json.loads(data)["cells"]
        substance = [[c["cell_type"], "".join(s) if isinstance(s := c["source"], list) else s] for c in cells]
    except (ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256(json.dumps(substance).encode()).hexdigest()


def _read_manifest(path: Path) -> dict[str, Version]:
    """Format 2 is ``{"format": 2, "files": {path: {"sha", "cells"}}}``; format 1 was ``{path: sha}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no or damaged manifest: every changed file counts as the learner's
    if not isinstance(data, dict):
        return {}
    files = data.get("files") if data.get("format") == 2 else data
    versions = {}
    for rel, v in (files.items() if isinstance(files, dict) else ()):
        if isinstance(v, str):
            versions[rel] = Version(v)
        elif isinstance(v, dict) and isinstance(v.get("sha"), str) and isinstance(v.get("cells"), str | None):
            versions[rel] = Version(v["sha"], v.get("cells"))
    return {rel: v for rel, v in versions.items() if isinstance(rel, str)}


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, src.read_bytes())
    shutil.copymode(src, dest)
