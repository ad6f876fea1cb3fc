"""A :class:`~course_lib.documents.Document` as a simple one-column PDF, with no library.

PDF's standard fonts need no embedding and open everywhere, but they know only the Western
European letters (Windows-1252). A document with other letters (a name such as 李小龍 or محمد)
gets no PDF: :func:`to_pdf` returns ``None`` and the caller offers the printable page instead,
which the browser prints, or saves as a PDF, with every letter.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .model import Document

PAGE_W, PAGE_H, MARGIN = 612, 792, 56  # US Letter, in points
STYLES = {"title": ("F2", 18, 26), "heading": ("F2", 12, 20), "note": ("F2", 12, 20),
          "para": ("F1", 11, 15), "small": ("F1", 9, 12),
          "head": ("F2", 10, 14), "row": ("F1", 10, 15)}


def _encodable(text: str) -> bool:
    try:
        text.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def to_pdf(doc: Document) -> bytes | None:
    """The document as PDF bytes, or ``None`` if it holds letters the standard fonts lack."""
    lines = [line for b in doc.blocks for line in b.pdf()]  # (style, text), each block wrapped
    if not all(_encodable(text) for _style, text in lines) or not _encodable(doc.title):
        return None
    pages, page, y = [], [], PAGE_H - MARGIN
    for style, text in lines:
        font, size, lead = STYLES[style]
        if y - lead < MARGIN:
            pages.append(page)
            page, y = [], PAGE_H - MARGIN
        y -= lead
        if text:
            page.append(f"BT /{font} {size} Tf {MARGIN} {y} Td ({_escape(text)}) Tj ET")
    pages.append(page)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]  # the page tree is filled in below
    fonts = {"F1": "Helvetica", "F2": "Helvetica-Bold"}
    font_refs = []
    for name, base in fonts.items():
        objects.append(f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>")
        font_refs.append(f"/{name} {len(objects)} 0 R")
    kids = []
    for content in pages:
        stream = "\n".join(content).encode("cp1252")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
                       f"/Resources << /Font << {' '.join(font_refs)} >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    objects.append(f"<< /Title ({_escape(doc.title)}) /Producer (course_lib) /CreationDate (D:{stamp}Z) >>")
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        body = obj if isinstance(obj, bytes) else obj.encode("cp1252")
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
