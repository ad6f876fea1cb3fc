"""Interface text in every language: gettext message catalogs, managed with Babel.

Every word the course's code shows a learner (buttons, feedback, notices, the progress page, the
completion record, errors, the web view's pages) is written once, in English, where it is used,
as a message: ``t._("Saved.")``, ``t.ngettext("{n} question", "{n} questions", n)``, or
``N_("...")`` where it is defined before the language is known. ``t`` is a :class:`Language`.
Its other words are in ``course_lib/locale/<code>/LC_MESSAGES/course.po``, kept in step with the
code by ``course messages`` (Babel's extraction; tests/test_i18n.py fails while a message has no
translation, or a learner-facing literal is left outside the catalogs).

A catalog is read at run time with Babel, so there is no compiled ``.mo`` file to go stale, and
only a page in a language other than English pays for it (about 60 ms, once per kernel). A
language is any code with a catalog in ``locale/``; which parts of the course are offered in it
is said by ``course.yaml`` (docs/authoring.md, "Another language").
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

DOMAIN = "course"
DEFAULT = "en"  # the language every message is written in
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs where it is defined; it is translated where it is shown."""
    return message


def catalog_file(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def languages() -> tuple[str, ...]:
    """English, then every language with a catalog, in code order."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if catalog_file(p.name).is_file()) \
        if LOCALE_DIR.is_dir() else []
    return (DEFAULT, *(c for c in found if c != DEFAULT))


def known(code: object) -> str | None:
    """``code`` if it is one of the course's languages (it may come from an untrusted file), else ``None``."""
    return code if isinstance(code, str) and code in languages() else None


class Message(str):
    """A message made before the language it is shown in is known (a problem found while reading
    the answers file, an answer refused). It is its English text, so code that only needs English
    uses it as a string; :meth:`Language.message` gives it in another language."""

    text: str
    params: dict

    @staticmethod
    def of(text: str, **params) -> Message:
        message = Message(text.format(**params) if params else text)
        message.text, message.params = text, params
        return message


class Language:
    """The words of one language. ``_`` and the other methods take Python format fields by name:
    ``t._("{n} of {total} points", n=2, total=4)``; the fields are filled after translation."""

    def __init__(self, code: str):
        self.code = code
        self._tr = _translations(code)

    def __repr__(self) -> str:
        return f"<language {self.code}>"

    def _(self, message: str, **params) -> str:
        text = self._tr.gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params) -> str:
        return self._tr.ngettext(singular, plural, n).format(n=n, **params)

    def pgettext(self, context: str, message: str, **params) -> str:
        text = self._tr.pgettext(context, message)
        return text.format(**params) if params else text

    def message(self, message: str | None) -> str:
        """A :class:`Message` (or a message without values) in this language."""
        if not message:
            return ""
        if isinstance(message, Message):
            return self._(message.text, **{k: self.message(v) if isinstance(v, Message) else v
                                           for k, v in message.params.items()})
        return self._(message)

    def count(self, n: int) -> str:
        """A count in words up to ten ("four questions"), in figures above. The course counts questions,
        lessons and letters, so a language whose numbers have a gender uses the words of those nouns."""
        return self._(COUNTS[n]) if 0 <= n < len(COUNTS) else str(n)

    def date(self, day) -> str:
        """A date as a letter or a record writes it: "June 5, 2025"; "5 de junio de 2025"."""
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.code)

    @property
    def name(self) -> str:
        """The language's name in its own words ("English", "Español"), for the link between them."""
        name = self.name_in(self.code)
        return name[:1].upper() + name[1:]

    def name_in(self, code: str) -> str:
        """The language's name as a sentence in language ``code`` writes it ("Spanish"; "español")."""
        from babel import Locale

        return Locale.parse(self.code).get_display_name(code) or self.code


COUNTS = (N_("no"), N_("one"), N_("two"), N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"), N_("eight"),
          N_("nine"), N_("ten"))


@cache
def language(code: str | None = None) -> Language:
    """The :class:`Language` of ``code`` (English for ``None``); an unknown code is an error."""
    code = code or DEFAULT
    if code not in languages():
        raise ValueError(f"unknown language {code!r}: one of {', '.join(languages())}")
    return Language(code)


def _translations(code: str) -> gettext.NullTranslations:
    """The catalog of ``code`` as Python's gettext reads it: its ``.po`` file, read and compiled
    in memory with Babel (English is the messages themselves)."""
    if code == DEFAULT:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_file(code).open("rb") as f:
        catalog = read_po(f, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def in_every_language(message: str, **params) -> list[tuple[str, str]]:
    """``message`` in each of the course's languages, as ``(code, text)``, English first: for a page a
    learner sees before anyone knows their language (the hub's login page, "the course is full")."""
    return [(code, language(code)._(message, **params)) for code in languages()]


def html_in_every_language(message: str, tag: str = "p", between: str = "", **params) -> str:
    """``message`` in each language, each in its own ``<tag lang="...">``, escaped, ``between`` them."""
    from html import escape

    return between.join(f'<{tag} lang="{code}">{escape(text)}</{tag}>'
                        for code, text in in_every_language(message, **params))


def page_language(code: object) -> Language:
    """The language a page asked for, or English: for values that come from a file or a URL."""
    return language(known(code))


ENGLISH = Language(DEFAULT)
