"""The text of an HTML email body, for a message that has no plain-text part."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "table"}
)
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        if tag == "blockquote":
            self._quoting += 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skipping:
            self._skipping -= 1
        if tag == "blockquote" and self._quoting:
            self._quoting -= 1
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._quoting:  # quoted in HTML: written as "> " lines, as plain-text mail does
            data = "\n".join("> " + line if line.strip() else line for line in data.split("\n"))
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOf()
    parser.feed(markup or "")
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
