"""Make and update a learner's workspace from the student release, never losing their work.

A manifest records the release version of every file copied in. On a later run a file is
replaced only if the learner has not changed it since (its content still matches the
manifest). A file the learner changed is kept as it is, and the new release version is put
beside it as ``<name>.new<ext>`` so nothing is lost either way. Files that are not part of
the release, such as ``my-answers.json``, are never touched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write

MANIFEST = ".course-manifest.json"


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # learner's edits kept; new version beside them

    def summary(self) -> str:
        lines = [f"{len(self.added)} new file(s), {len(self.updated)} updated file(s)."]
        for rel in self.kept:
            lines.append(f"Kept your changed copy of {rel}; the course's new version is beside it as "
                         f"{_beside(Path(rel)).as_posix()}.")
        return "\n".join(lines)


def sync_workspace(release: Path, workspace: Path) -> SyncReport:
    if not release.is_dir():
        raise FileNotFoundError(f"There is no student release at {release}. Run 'course release' first.")
    workspace.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(workspace / MANIFEST)
    report = SyncReport()
    for src in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = src.relative_to(release).as_posix()
        if rel.endswith("README.md") and src.parent == release:
            continue
        dest, new = workspace / rel, _digest(src)
        if not dest.exists():
            _copy(src, dest)
            report.added.append(rel)
        elif (have := _digest(dest)) == new:
            pass
        elif manifest.get(rel) == have:  # untouched by the learner: safe to update
            _copy(src, dest)
            report.updated.append(rel)
        else:
            _copy(src, _beside(dest))
            report.kept.append(rel)
            continue  # the manifest keeps the version the learner's copy came from
        manifest[rel] = new
    atomic_write(workspace / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return report


def _beside(path: Path) -> Path:
    return path.with_name(f"{path.stem}.new{path.suffix}")


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no or damaged manifest: every changed file counts as the learner's
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, src.read_bytes())
    shutil.copymode(src, dest)
