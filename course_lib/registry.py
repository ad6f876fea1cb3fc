"""Registering a kind of thing by its name (question kinds, document blocks), once it is whole.

A kind is a subclass with a ``kind`` name. It is registered when it is defined, and refused then,
not when a learner meets it, if it lacks one of the methods every kind must write for itself, or if
another class already has its name.
"""

from __future__ import annotations

from inspect import getattr_static


def register(registry: dict[str, type], cls: type, base: type, methods: tuple[str, ...], what: str,
             also_missing: tuple[str, ...] = ()) -> None:
    """Add ``cls`` to ``registry`` under ``cls.kind`` if it defines each of ``methods`` itself (or a
    class between it and ``base`` does); ``also_missing`` names what else the caller found lacking."""
    missing = [m for m in methods if getattr_static(cls, m) is getattr_static(base, m)] + list(also_missing)
    if missing:
        raise TypeError(f"{what} {cls.kind!r} ({cls.__name__}) lacks {', '.join(missing)}")
    if cls.kind in registry:
        raise TypeError(f"{what} {cls.kind!r} is defined twice ({registry[cls.kind].__name__}, {cls.__name__})")
    registry[cls.kind] = cls
