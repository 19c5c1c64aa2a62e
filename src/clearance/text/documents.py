"""Documents to screen as text: which files of a folder are text, and the text of an HTML page.

A folder is walked whole (subfolders too, in name order), leaving out hidden files
and folders (`.git`, `.DS_Store`) and the folder the reports go to. Plain text
(`.txt`, `.text`, `.md`) is screened as it is; an HTML page (`.html`, `.htm`) as
the text a reader sees: tags taken out, character references decoded, scripts and
styles left out, a block element (a paragraph, a heading, a list item, a table
cell, `<br>`) ending a line so two names in two cells never run into one. Any
other file (PDF, Word, images) is not text and is left for the caller to name.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
"""The names (case aside) of files a folder's screening reads."""

_HIDDEN = frozenset({"script", "style", "template", "noscript", "svg"})
_BLOCKS = frozenset(
    "address article aside blockquote br caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section summary table td th title tr ul".split()
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def folder_documents(folder: Path, leave_out: Path | None = None) -> tuple[list[Path], list[Path]]:
    """The text documents under `folder` and its other files, each folder's files in name order before its
    subfolders'; hidden files and folders, and the folder `leave_out` (where reports go), left out. Links
    to folders are not followed."""
    skip = leave_out.resolve() if leave_out is not None else None
    documents: list[Path] = []
    others: list[Path] = []
    for root, folders, files in os.walk(folder):
        here = Path(root)
        folders[:] = sorted(f for f in folders if not f.startswith(".") and (here / f).resolve() != skip)
        for name in sorted(files):
            if name.startswith("."):
                continue
            (documents if name.lower().endswith(SUFFIXES) else others).append(here / name)
    return documents, others


def is_html(path: Path) -> bool:
    return path.name.lower().endswith(HTML_SUFFIXES)


def html_text(markup: str) -> str:
    """The text of an HTML page as a reader sees it, one line per block; the title is its first line."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in _SPACES.sub(" ", "".join(parser.parts)).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)
