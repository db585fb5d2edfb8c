"""A small Python syntax highlighter for the generated code, with light and dark colour sets."""

from __future__ import annotations

import builtins
import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat

LIGHT = {
    "keyword": ("#0033b3", True),
    "builtin": ("#000080", False),
    "string": ("#067d17", False),
    "comment": ("#8c8c8c", False),
    "number": ("#1750eb", False),
    "decorator": ("#9e880d", False),
    "definition": ("#00627a", True),
    "self": ("#94558d", False),
}
DARK = {
    "keyword": ("#cf8e6d", True),
    "builtin": ("#8888c6", False),
    "string": ("#6aab73", False),
    "comment": ("#7a7e85", False),
    "number": ("#2aacb8", False),
    "decorator": ("#b3ae60", False),
    "definition": ("#56a8f5", True),
    "self": ("#94558d", False),
}

_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_") and n not in keyword.kwlist)
_RULES = (  # (style, pattern, group, only these words or None): later rules win where they overlap
    ("keyword", re.compile(r"\b(?:" + "|".join(keyword.kwlist + keyword.softkwlist) + r")\b"), 0, None),
    # any name called, kept when it is a builtin (one alternative per builtin took ~20 ms to compile)
    ("builtin", re.compile(r"\b([A-Za-z_]\w*)(?=\s*\()"), 1, _BUILTINS),
    ("self", re.compile(r"\b(?:self|cls)\b"), 0, None),
    ("number", re.compile(r"\b(?:0[xob][0-9a-fA-F_]+|\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?j?)\b"), 0, None),
    ("decorator", re.compile(r"^\s*@[\w.]+"), 0, None),
    ("definition", re.compile(r"\b(?:def|class)\s+(\w+)"), 1, None),
)
# One-line strings and comments are scanned left to right together so "#" inside a string is text.
_STRING_OR_COMMENT = re.compile(
    r"""(?P<string>[rRbBfFuU]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"))|(?P<comment>\#.*$)"""
)
_TRIPLE = ('"""', "'''")
IN_TRIPLE = {'"""': 1, "'''": 2}  # block states: inside a triple-quoted string


class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, builtins, strings (triple-quoted across lines), comments, numbers, definitions."""

    def __init__(self, document, dark: bool = False):
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark, rehighlight=False)

    def set_dark(self, dark: bool, rehighlight: bool = True) -> None:
        """Switch the colour set (call when the application palette changes)."""
        self.dark = dark
        for style, (color, bold) in (DARK if dark else LIGHT).items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            if style == "comment":
                fmt.setFontItalic(True)
            self.formats[style] = fmt
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        start = self._continue_triple(text)
        if start < 0:
            return
        for style, pattern, group, words in _RULES:
            for m in pattern.finditer(text, start):
                if words is None or m.group(group) in words:
                    self.setFormat(m.start(group), m.end(group) - m.start(group), self.formats[style])
        self._strings_and_comments(text, start)

    def _continue_triple(self, text: str) -> int:
        """Colour the rest of a triple-quoted string begun above; returns where normal text starts."""
        self.setCurrentBlockState(0)
        previous = self.previousBlockState()
        quote = next((q for q, s in IN_TRIPLE.items() if s == previous), None)
        if quote is None:
            return 0
        end = text.find(quote)
        if end < 0:
            self.setFormat(0, len(text), self.formats["string"])
            self.setCurrentBlockState(previous)
            return -1
        self.setFormat(0, end + 3, self.formats["string"])
        return end + 3

    def _strings_and_comments(self, text: str, pos: int) -> None:
        while pos < len(text):
            triple = min(((text.find(q, pos), q) for q in _TRIPLE if text.find(q, pos) >= 0), default=None)
            m = _STRING_OR_COMMENT.search(text, pos)
            if triple and (m is None or triple[0] <= m.start()):
                begin, quote = triple
                end = text.find(quote, begin + 3)
                if end < 0:
                    self.setFormat(begin, len(text) - begin, self.formats["string"])
                    self.setCurrentBlockState(IN_TRIPLE[quote])
                    return
                self.setFormat(begin, end + 3 - begin, self.formats["string"])
                pos = end + 3
                continue
            if m is None:
                return
            style = "string" if m.group("string") else "comment"
            self.setFormat(m.start(), m.end() - m.start(), self.formats[style])
            pos = m.end()
