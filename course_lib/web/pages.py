"""The course's own small pages: opening a lesson, busy, not found, something went wrong.

Plain words for parents, in the language of the page asked for, a way back to the course home in
it, no script (the pages work under the strictest Content-Security-Policy and on any browser),
nothing about the server.
"""

from __future__ import annotations

import re
from html import escape

from ..i18n import ENGLISH, Language, known, language
from ..layout import in_language

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="robots" content="noindex">
{head}<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.6; color: #1a1a1a;
         max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }}
  a {{ color: #0b3d91; }}
  a.button {{ display: inline-block; padding: 0.6rem 1.2rem; margin: 0.5rem 1rem 0.5rem 0;
             background: #0b3d91; color: #fff; border-radius: 6px; text-decoration: none; }}
  a:focus-visible {{ outline: 3px solid #0b3d91; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""
_IN_LANGUAGE = re.compile(r"\.([a-z]{2,3})\.ipynb$|^/([a-z]{2,3})/?$")


def language_for(path: str) -> Language:
    """The language of the page a request asks for (``….es.ipynb``, ``/es/``), English otherwise: the
    course's own pages answer in it."""
    match = _IN_LANGUAGE.search(path.split("?")[0])
    return language(known(next((g for g in match.groups() if g), None)) if match else None)


def home_in(base_url: str, t: Language) -> str:
    """The course home's address, in the language ``t``."""
    return f"{base_url}voila/render/{in_language('index.ipynb', t.code)}"


def page(title: str, body: str, head: str = "", t: Language = ENGLISH) -> str:
    return _PAGE.format(title=escape(title), body=body, head=head, lang=t.code)


def _link(href: str, text: str, button: bool = False) -> str:
    return f'<a href="{escape(href)}"{" class=button" if button else ""}>{escape(text)}</a>'


def opening(url: str, t: Language = ENGLISH) -> str:
    """For a request that is not yet a page view: a browser follows on at once, a script stops."""
    body = f"<p>{t._('If the lesson does not open by itself, {link}.', link=_link(url, t._('open the lesson')))}</p>"
    return page(t._("Opening the lesson…"), body, head=f'<meta http-equiv="refresh" content="0; url={escape(url)}">\n',
                t=t)


def busy(url: str, home: str, t: Language = ENGLISH) -> str:
    return page(t._("The course is busy"), f"<p>{t._('The course is busy, please try again in a minute.')}</p>\n"
                f"<p>{_link(url, t._('Try again'), button=True)} {_link(home, t._('Course home'))}</p>", t=t)


def crowded(url: str, home: str, t: Language = ENGLISH) -> str:
    return page(t._("Many lessons are open"),
                "<p>" + t._("Many lessons are open from your network right now. Please close a lesson you are no "
                            "longer reading, or try again in a minute.") + "</p>\n"
                f"<p>{_link(url, t._('Try again'), button=True)} {_link(home, t._('Course home'))}</p>", t=t)


def many_opening(url: str, home: str, most: int, t: Language = ENGLISH) -> str:
    """For one browser opening more lessons at once than it may hold: none of them is ended for it."""
    return page(t._("Many lessons are opening"),
                "<p>" + t._("This browser is opening many lessons at once, and up to {most} stay open together. This "
                            "one did not open, so that the others can finish opening.", most=most) + "</p>\n<p>"
                + t._("Close a lesson you are not reading, then try again.") + "</p>\n"
                f"<p>{_link(url, t._('Try again'), button=True)} {_link(home, t._('Course home'))}</p>", t=t)


def not_found(home: str, t: Language = ENGLISH) -> str:
    return page(t._("Page not found"), "<p>" + t._("We could not find this page. The link may be old or have a typing "
                "mistake.") + "</p>\n" f"<p>{_link(home, t._('Go to the course home'), button=True)}</p>", t=t)


def error(status: int, home: str, t: Language = ENGLISH) -> str:
    if status == 404:
        return not_found(home, t)
    if status >= 500:
        return page(t._("Something went wrong"), "<p>" + t._("Something went wrong on our side. Please try again in a "
                    "minute.") + "</p>\n" f"<p>{_link(home, t._('Go to the course home'), button=True)}</p>", t=t)
    return page(t._("This page cannot be opened"), f"<p>{t._('This page cannot be opened from here.')}</p>\n"
                f"<p>{_link(home, t._('Go to the course home'), button=True)}</p>", t=t)
