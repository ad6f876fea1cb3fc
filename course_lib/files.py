"""The course's files: atomic writes (a reader sees the old file or the new one, never half of
either), and YAML read with libyaml's C parser where PyYAML has it (``course check`` reads about
240 YAML files; the pure-Python parser took most of its time)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    """``yaml.safe_load``, with the C parser where installed (same results, same errors)."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def atomic_write(dest: Path, data: str | bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
