"""Every piece of HTML the course shows is made here, so the look and the wording of
feedback live in one place. Lesson text is Markdown; anything a learner typed is escaped.
Colours meet WCAG AA contrast on their backgrounds, and right/wrong is never shown by colour
alone (each line also says "Right" / "Not quite" in words).
"""

from __future__ import annotations

from html import escape

import mistune

_markdown = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])

_BOX = {
    # kind: (text colour, background, border, word shown before the message)
    "info": ("#0b3d91", "#e8f0fe", "#0b3d91", ""),
    "right": ("#1b5e20", "#e8f5e9", "#1b5e20", "Right."),
    "partly": ("#5d4037", "#fff3e0", "#8d6e63", "Partly right."),
    "wrong": ("#8a1c1c", "#fdecea", "#8a1c1c", "Not quite."),
    "warn": ("#5d4200", "#fff8e1", "#8a6d00", ""),
    "saved": ("#1b5e20", "#e8f5e9", "#1b5e20", "Saved."),
}


def md(text: str) -> str:
    """Markdown (trusted lesson text) to HTML; raw HTML inside it is escaped."""
    return _markdown(text or "")


def md_inline(text: str) -> str:
    html = md(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def box(kind: str, body_html: str, role: str = "status") -> str:
    fg, bg, border, word = _BOX[kind]
    lead = f"<strong>{word}</strong> " if word else ""
    return (
        f'<div role="{role}" class="course-box course-{kind}" style="color:{fg};background:{bg};'
        f'border-left:4px solid {border};padding:0.5em 0.8em;margin:0.4em 0;line-height:1.45">'
        f"{lead}{body_html}</div>"
    )


def message(kind: str, text: str) -> str:
    """A one-line notice from plain text (escaped)."""
    return box(kind, escape(text))


def marked(m) -> str:
    """Feedback for a self-check: overall verdict, then why, line by line."""
    kind = "right" if m.fraction == 1 else "partly" if m.fraction > 0 else "wrong"
    items = "".join(
        f"<li><strong>{'Right' if ok else 'Not quite'}:</strong> {md_inline(choice)}"
        f"{' — ' + md_inline(why) if why else ''}</li>"
        for ok, choice, why in m.lines
    )
    return box(kind, f"<ul style='margin:0.3em 0 0 1.2em;padding:0'>{items}</ul>")


def heading(text: str, level: int = 3) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def bullet_list(items, ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{md_inline(i)}</li>" for i in items) + f"</{tag}>"


def definitions(terms: dict[str, str]) -> str:
    rows = "".join(
        f"<dt><strong>{escape(t)}</strong></dt><dd style='margin:0 0 0.5em 1.2em'>{md_inline(d)}</dd>"
        for t, d in sorted(terms.items(), key=lambda kv: kv[0].lower())
    )
    return f"<dl>{rows}</dl>"
