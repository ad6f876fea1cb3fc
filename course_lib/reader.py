"""Typed reading of the course's YAML data, with messages an author can act on.

Every problem found while reading is an *author's* mistake, so a message names the file and the
field to fix; learners never see them once a lesson passes ``course check``.
"""

from __future__ import annotations


class LessonError(ValueError):
    """A lesson file is missing or does not follow the format in docs/authoring.md."""


class Reader:
    """A view of one mapping (or text) in a data file that turns a wrong field into a message."""

    def __init__(self, data: object, where: str, path: str = ""):
        self.data, self.where, self.path = data, where, path

    def sub(self, name: str, data: object) -> Reader:
        return Reader(data, self.where, f"{self.path}.{name}" if self.path else name)

    def fail(self, message: str):
        at = f" (at {self.path})" if self.path else ""
        raise LessonError(f"{self.where}{at}: {message}")

    def has(self, name: str) -> bool:
        return isinstance(self.data, dict) and name in self.data

    def only(self, *names: str) -> Reader:
        """Refuse unknown fields: a typo, or an unquoted comma inside ``{...}``, would otherwise
        silently cut a learner-facing text short."""
        if not isinstance(self.data, dict):
            self.fail("expected a mapping of fields")
        if unknown := [str(k) for k in self.data if k not in names]:
            self.fail(f"unknown field(s) {unknown}; allowed: {list(names)}. If a text contains a comma "
                      "inside {...}, put the text in quotes.")
        return self

    def value_text(self) -> str:
        if isinstance(self.data, (int, float)) and not isinstance(self.data, bool):
            return str(self.data)
        if not isinstance(self.data, str) or not self.data.strip():
            self.fail("expected text")
        return self.data.strip()

    def text(self, name: str, default: object = ...) -> str:
        if not isinstance(self.data, dict):
            self.fail("expected a mapping of fields")
        if name not in self.data:
            if default is ...:
                self.fail(f"missing field '{name}'")
            return default
        return self.sub(name, self.data[name]).value_text()

    def number(self, name: str, default: object = ...) -> float:
        """A positive number (points may be fractional, but never zero or negative)."""
        value = self.data.get(name, default) if isinstance(self.data, dict) else None
        if value is ...:
            self.fail(f"missing field '{name}'")
        if value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            self.fail(f"field '{name}' must be a number greater than 0, not {value!r}")
        return value

    def integer(self, name: str) -> int:
        value = self.data.get(name) if isinstance(self.data, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.fail(f"field '{name}' must be a positive whole number")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"field '{name}' must be true or false")
        return value

    def text_list(self, name: str, required: bool = True) -> list[str]:
        values = self.data.get(name) if isinstance(self.data, dict) else None
        if values is None and not required:
            return []
        if values is None:
            self.fail(f"missing field '{name}'")
        if isinstance(values, str) and not required:
            values = [values]
        if not isinstance(values, list) or not values:
            self.fail(f"field '{name}' must be a non-empty list")
        return [self.sub(f"{name}[{i}]", v).value_text() for i, v in enumerate(values)]

    def choice_list(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        values = self.text_list(name)
        if bad := [v for v in values if v not in allowed]:
            self.fail(f"field '{name}' has {bad}; allowed: {list(allowed)}")
        return values

    def mapping(self, name: str, required: bool = True) -> dict:
        value = self.data.get(name) if isinstance(self.data, dict) else None
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or not value:
            self.fail(f"field '{name}' must be a non-empty mapping")
        return {str(k): v for k, v in value.items()}

    def items(self, name: str, minimum: int) -> list[Reader]:
        values = self.data.get(name) if isinstance(self.data, dict) else None
        if not isinstance(values, list) or len(values) < minimum:
            self.fail(f"field '{name}' must be a list of at least {minimum}")
        return [self.sub(f"{name}[{i}]", v) for i, v in enumerate(values)]

    def unique(self, ids: list[str], name: str) -> None:
        if len(set(ids)) != len(ids):
            self.fail(f"ids in '{name}' must be unique")
