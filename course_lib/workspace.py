"""Make and update a learner's workspace from the student release, never losing their work.

A manifest records, for every file copied in, the course version the learner's copy came
from. On a later run, for each file of the release:

* a file the learner did not change *in substance* since then is replaced by the course's
  version, if the course changed it (a notebook's substance is its cells' types and sources:
  JupyterLab adds ``language_info``, ids, outputs and execution counts to a lesson merely
  opened, and none of that is the learner's work);
* a file the learner did change is kept as it is; only if the course changed it in substance
  too is the course's version put beside it as ``<name>.new<ext>``, once;
* files that are not part of the release, such as ``my-answers.json``, are never touched.

Without a record (a first run over old files, or a damaged manifest) every file whose
substance differs from the course's counts as the learner's: it is kept, with the course's
version beside it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import atomic_write
from .i18n import ENGLISH, Language

MANIFEST = ".course-manifest.json"
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
    kept: list[str] = field(default_factory=list)  # learner's edits kept; new version beside them

    def notices(self, t: Language = ENGLISH) -> list[str]:
        """What the learner must know, in their language: only where a new version was put beside their copy."""
        return [t._("Kept your changed copy of {file}; the course's new version is beside it as {new}.", file=rel,
                    new=_beside(Path(rel)).as_posix()) for rel in self.kept]

    def summary(self) -> str:
        return "\n".join([f"{len(self.added)} new file(s), {len(self.updated)} updated file(s).", *self.notices()])


def sync_workspace(release: Path, workspace: Path) -> SyncReport:
    if not release.is_dir():
        raise FileNotFoundError(f"There is no student release at {release}. Run 'course release' first.")
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace / MANIFEST)
    report = SyncReport()
    for src in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = src.relative_to(release).as_posix()
        if (rel.endswith("README.md") and src.parent == release) or src.name.startswith(ANSWERS_PREFIX):
            continue
        dest, new, was = workspace / rel, version_of(src), manifest.get(rel)
        if not dest.exists():
            _copy(src, dest)
            report.added.append(rel)
        elif (have := version_of(dest)).sha == new.sha:
            pass
        elif have.same_substance(was) or have.same_substance(new):  # nothing of the learner's to lose
            if was is not None and was.sha == new.sha:
                continue  # the course did not change it; leave the learner's file alone
            _copy(src, dest)
            report.updated.append(rel)
        else:  # the learner changed it
            if new.same_substance(was):
                continue  # and the course did not: nothing to offer
            if _put_beside(src, dest, new, manifest, workspace):
                report.kept.append(rel)
            continue  # the manifest keeps the version the learner's copy came from
        manifest[rel] = new
    atomic_write(workspace / MANIFEST, json.dumps(
        {"format": 2, "files": {rel: asdict(v) for rel, v in sorted(manifest.items())}}, indent=1))
    return report


def course_notebooks(workspace: Path) -> list[str]:
    """The workspace paths of the notebooks the course put there (lessons and ``.new`` copies)."""
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


def _put_beside(src: Path, dest: Path, new: Version, manifest: dict[str, Version], workspace: Path) -> bool:
    """Put the course's version beside the learner's copy, unless it is there already or the
    learner changed that copy too. True if it was written."""
    beside = _beside(dest)
    rel = beside.relative_to(workspace).as_posix()
    if beside.exists():
        have = version_of(beside)
        if have.same_substance(new) or not have.same_substance(manifest.get(rel)):
            return False
    _copy(src, beside)
    manifest[rel] = new
    return True


def _beside(path: Path) -> Path:
    return path.with_name(f"{path.stem}.new{path.suffix}")


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
