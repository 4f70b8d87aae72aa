"""Text normalisation and highlighted snippets for the library's search.

People type Romanian without diacritics (`violenta` for `violență`), and older PDFs carry
the cedilla forms (ş ţ) where newer ones have the comma-below forms (ș ț). Both the indexed
text and the query are folded to plain lower-case letters, one character for one, so a
position found in the folded text is the same position in the original: snippets are cut
from the real text, diacritics and all, and the matched words marked there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for codepoint in range(0x41, 0x250):
        char = chr(codepoint)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        if len(base) == 1 and base != char:
            table[codepoint] = base
    return table


_FOLD = _fold_table()
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")
MAX_TERMS = 8


def fold(text: str) -> str:
    """Lower case without diacritics, of exactly the same length as the text."""
    return text.translate(_FOLD)


def terms_of(query: str) -> list[str]:
    """The words of a query, folded, without repeats; single letters carry no meaning."""
    seen: list[str] = []
    for word in _WORD.findall(fold(query)):
        if len(word) > 1 and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def _pattern(terms: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*", re.UNICODE)


def contains_any(text: str, terms: list[str]) -> bool:
    return bool(terms) and _pattern(terms).search(fold(text)) is not None


@dataclass(frozen=True)
class Piece:
    text: str
    match: bool


def snippet(text: str, terms: list[str], *, width: int = 220) -> list[Piece]:
    """A window of the text around the first match, as pieces the template marks up.

    Terms match at the start of a word, so `violent` finds `violență` and `violența` but
    `ta` does not light up the middle of every word.
    """
    if not text or not terms:
        return [Piece(text[:width], False)] if text else []
    folded = fold(text)
    pattern = _pattern(terms)
    first = pattern.search(folded)
    if first is None:
        return [Piece(text[:width] + ("…" if len(text) > width else ""), False)]
    start = max(0, first.start() - width // 3)
    # Begin at a word boundary, not in the middle of one.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + width)
    pieces: list[Piece] = [Piece("…", False)] if start else []
    cursor = start
    for found in pattern.finditer(folded, start, end):
        if found.start() > cursor:
            pieces.append(Piece(text[cursor : found.start()], False))
        pieces.append(Piece(text[found.start() : min(found.end(), end)], True))
        cursor = min(found.end(), end)
    if cursor < end:
        pieces.append(Piece(text[cursor:end], False))
    if end < len(text):
        pieces.append(Piece("…", False))
    # Extracted text breaks lines anywhere; in a snippet a line break is just a space.
    return [Piece(_SPACES.sub(" ", piece.text), piece.match) for piece in pieces]
