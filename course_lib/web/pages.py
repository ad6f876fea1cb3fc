"""The course's own small pages: opening a lesson, busy, not found, something went wrong.

Plain words for parents, a way back to the course home, no script (the pages work under the
strictest Content-Security-Policy and on any browser), nothing about the server.
"""

from __future__ import annotations

from html import escape

_PAGE = """<!DOCTYPE html>
<html lang="en">
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


def page(title: str, body: str, head: str = "") -> str:
    return _PAGE.format(title=escape(title), body=body, head=head)


def _link(href: str, text: str, button: bool = False) -> str:
    return f'<a href="{escape(href)}"{" class=button" if button else ""}>{escape(text)}</a>'


def opening(url: str) -> str:
    """For a request that is not yet a page view: a browser follows on at once, a script stops."""
    body = f"<p>If the lesson does not open by itself, {_link(url, 'open the lesson')}.</p>"
    return page("Opening the lesson…", body, head=f'<meta http-equiv="refresh" content="0; url={escape(url)}">\n')


def busy(url: str, home: str) -> str:
    return page("The course is busy", "<p>The course is busy, please try again in a minute.</p>\n"
                f"<p>{_link(url, 'Try again', button=True)} {_link(home, 'Course home')}</p>")


def crowded(url: str, home: str) -> str:
    return page("Many lessons are open",
                "<p>Many lessons are open from your network right now. Please close a lesson you are no "
                "longer reading, or try again in a minute.</p>\n"
                f"<p>{_link(url, 'Try again', button=True)} {_link(home, 'Course home')}</p>")


def many_opening(url: str, home: str, most: int) -> str:
    """For one browser opening more lessons at once than it may hold: none of them is ended for it."""
    return page("Many lessons are opening",
                f"<p>This browser is opening many lessons at once, and up to {most} stay open together. This one "
                "did not open, so that the others can finish opening.</p>\n<p>Close a lesson you are not reading, "
                f"then try again.</p>\n<p>{_link(url, 'Try again', button=True)} {_link(home, 'Course home')}</p>")


def not_found(home: str) -> str:
    return page("Page not found", "<p>We could not find this page. The link may be old or have a typing "
                "mistake.</p>\n" f"<p>{_link(home, 'Go to the course home', button=True)}</p>")


def error(status: int, home: str) -> str:
    if status == 404:
        return not_found(home)
    if status >= 500:
        return page("Something went wrong", "<p>Something went wrong on our side. Please try again in a "
                    "minute.</p>\n" f"<p>{_link(home, 'Go to the course home', button=True)}</p>")
    return page("This page cannot be opened", "<p>This page cannot be opened from here.</p>\n"
                f"<p>{_link(home, 'Go to the course home', button=True)}</p>")
