"""Documents a learner takes away: letters, sheets and the completion record.

A document is a list of blocks (:mod:`~course_lib.documents.model`); each kind of block is a
class that writes itself as plain text, RTF, HTML and PDF (:mod:`~course_lib.documents.blocks`);
:mod:`~course_lib.documents.export` and :mod:`~course_lib.documents.pdf` put a document's parts
together and make the downloads. It needs no widgets, so the tools and the progress page both use
it without depending on each other.
"""

from . import blocks  # noqa: F401 - every kind of block registers itself
from .export import (
    DOC_CSS,
    LINK_CSS,
    PRINT_ONLY_DOCS_CSS,
    data_url,
    download_links,
    files,
    rtf_escape,
    to_html,
    to_html_page,
    to_rtf,
    to_text,
)
from .model import BLOCKS, Block, Document, Segments, fill, literal, plain, typed
from .pdf import to_pdf

__all__ = ["BLOCKS", "DOC_CSS", "LINK_CSS", "PRINT_ONLY_DOCS_CSS", "Block", "Document", "Segments", "data_url",
           "download_links", "files", "fill", "literal", "plain", "rtf_escape", "to_html", "to_html_page", "to_pdf",
           "to_rtf", "to_text", "typed"]
