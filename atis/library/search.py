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


# Folding is the costly part of a snippet: a file's text may be long and the match is usually
# near its start, so the text is folded a growing prefix at a time until the first match.
_FIRST_PREFIX = 1024


@dataclass(frozen=True)
class _Found:
    start: int
    folded: str  # the folded text up to at least the match (a prefix of fold(text))


def _first_match(text: str, terms: list[str], pattern: re.Pattern[str]) -> _Found | None:
    """Where the first match starts, as in fold(text), folding no more than needed.

    Every match in a folded prefix is a match in the whole text (its characters and the
    one before it are there). A match nearer than the longest term to the prefix's end
    might be preceded by one cut off by that end, so it counts only once the prefix is longer.
    """
    longest = max(len(term) for term in terms)
    size = _FIRST_PREFIX
    while True:
        folded = fold(text[:size])
        found = pattern.search(folded)
        complete = size >= len(text)
        if found is not None and (complete or found.start() + longest < size):
            return _Found(found.start(), folded)
        if complete:
            return None
        size *= 4


def snippet_of(parts: list[str], terms: list[str], *, width: int = 220) -> list[Piece]:
    """The snippet of the first part that contains a term, else of the first part:
    the same as snippet(first part with contains_any, terms), without folding whole texts."""
    if not parts or not terms:
        return snippet(parts[0], terms, width=width) if parts else []
    pattern = _pattern(terms)
    for part in parts:
        found = _first_match(part, terms, pattern) if part else None
        if found is not None:
            return _cut(part, found, pattern, width)
    return _uncut(parts[0], width)


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
    pattern = _pattern(terms)
    found = _first_match(text, terms, pattern)
    return _uncut(text, width) if found is None else _cut(text, found, pattern, width)


def _uncut(text: str, width: int) -> list[Piece]:
    return [Piece(text[:width] + ("…" if len(text) > width else ""), False)] if text else []


def _cut(text: str, found: _Found, pattern: re.Pattern[str], width: int) -> list[Piece]:
    start = max(0, found.start - width // 3)
    # Begin at a word boundary, not in the middle of one.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < found.start else start
    end = min(len(text), start + width)
    # Matches are looked for up to `end` only, so the folded prefix must reach it.
    folded = found.folded if len(found.folded) >= end else fold(text[:end])
    pieces: list[Piece] = [Piece("…", False)] if start else []
    cursor = start
    for match in pattern.finditer(folded, start, end):
        if match.start() > cursor:
            pieces.append(Piece(text[cursor : match.start()], False))
        pieces.append(Piece(text[match.start() : min(match.end(), end)], True))
        cursor = min(match.end(), end)
    if cursor < end:
        pieces.append(Piece(text[cursor:end], False))
    if end < len(text):
        pieces.append(Piece("…", False))
    # Extracted text breaks lines anywhere; in a snippet a line break is just a space.
    return [Piece(_SPACES.sub(" ", piece.text), piece.match) for piece in pieces]
