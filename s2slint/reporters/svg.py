"""A small SVG writer for the audit report's pictures: fixed layouts, escaped text.

The pictures are drawn at fixed coordinates computed by their own code (no layout
engine, no script), so the same run always gives the same bytes. Every attribute
and every piece of text is escaped here, once: values from exports (application
names, thumbprints, host names) can hold `<`, `&` or quotes. Numbers are written
with at most one decimal, so rounding noise never changes the output.

The drawing is an `<svg role="img">` with an `aria-label` and a `<title>` (its name
for screen readers) and a `<desc>` (the same facts in sentences), readable without
the picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape as _html_escape

from s2slint.neutral import neutralize


def escape(text: str, quote: bool = True) -> str:
    """Escape text for SVG; control characters are shown escaped, as in every output."""
    return _html_escape(neutralize(text), quote=quote)


Attribute = str | int | float | None


def number(value: float) -> str:
    """Write a coordinate: rounded to one decimal, without a trailing `.0`."""
    text = f"{round(value, 1):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _attrs(attributes: dict[str, Attribute]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        name = name.rstrip("_").replace("_", "-")
        shown = number(value) if isinstance(value, int | float) else value
        parts.append(f' {name}="{escape(str(shown), quote=True)}"')
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    """Estimate the width of `text` in a sans-serif font of `size` (for fixed layouts)."""
    return len(text) * size * 0.6


def fit(text: str, size: float, width: float) -> str:
    """Return `text`, shortened with an ellipsis so that it fits in `width`."""
    if text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * 0.6)) - 1)
    return text[:keep] + "\u2026"


def wrap(text: str, size: float, width: float, lines: int = 2) -> list[str]:
    """Break `text` at spaces into at most `lines` lines that fit in `width`."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size) > width:
            out.append(current)
            current = word
        else:
            current = candidate
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [fit(line, size, width) for line in out]


@dataclass
class Svg:
    """An SVG document being drawn: elements are appended in painting order."""

    width: float
    height: float
    label: str
    description: str = ""
    css_class: str = ""
    _defs: list[str] = field(default_factory=list)
    _body: list[str] = field(default_factory=list)
    _open: int = 0

    def element(self, name: str, content: str | None = None, /, **attributes: Attribute) -> None:
        """Append one element; `content` is text (escaped), None makes it empty."""
        if content is None:
            self._body.append(f"<{name}{_attrs(attributes)}/>")
        else:
            self._body.append(f"<{name}{_attrs(attributes)}>{escape(content)}</{name}>")

    def begin(self, **attributes: Attribute) -> None:
        """Open a group (`<g>`); every `begin` needs its `end`."""
        self._body.append(f"<g{_attrs(attributes)}>")
        self._open += 1

    def end(self) -> None:
        """Close the innermost group."""
        if self._open == 0:
            raise ValueError("end() without begin()")
        self._body.append("</g>")
        self._open -= 1

    def tooltip(self, text: str) -> None:
        """Give the current group a `<title>` (shown on hover, read by screen readers)."""
        self.element("title", text)

    def rect(self, x: float, y: float, w: float, h: float, **attributes: Attribute) -> None:
        """Draw a rectangle."""
        self.element("rect", x=x, y=y, width=w, height=h, **attributes)

    def line(self, x1: float, y1: float, x2: float, y2: float, **attributes: Attribute) -> None:
        """Draw a straight line."""
        self.element("line", x1=x1, y1=y1, x2=x2, y2=y2, **attributes)

    def polyline(self, points: Sequence[tuple[float, float]], **attributes: Attribute) -> None:
        """Draw connected segments through `points` (never filled)."""
        joined = " ".join(f"{number(x)},{number(y)}" for x, y in points)
        self.element("polyline", points=joined, fill="none", **attributes)

    def polygon(self, points: Sequence[tuple[float, float]], **attributes: Attribute) -> None:
        """Draw a closed, filled shape through `points`."""
        joined = " ".join(f"{number(x)},{number(y)}" for x, y in points)
        self.element("polygon", points=joined, **attributes)

    def text(self, x: float, y: float, content: str, **attributes: Attribute) -> None:
        """Write one line of text with its baseline at `y`."""
        self.element("text", content, x=x, y=y, **attributes)

    def lines(
        self, x: float, y: float, content: Iterable[str], step: float, **attributes: Attribute
    ) -> None:
        """Write several lines of text, `step` apart, the first baseline at `y`."""
        for number_, line in enumerate(content):
            self.text(x, y + number_ * step, line, **attributes)

    def arrowhead(self, marker_id: str, colour: str) -> None:
        """Define an arrowhead marker in `colour` for `marker-end`."""
        self._defs.append(
            f'<marker id="{escape(marker_id, quote=True)}" viewBox="0 0 10 10" refX="9" '
            f'refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{escape(colour, quote=True)}"/></marker>'
        )

    def render(self) -> str:
        """Return the SVG element as text (for inlining in HTML)."""
        if self._open:
            raise ValueError(f"{self._open} group(s) left open")
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img"'
            f"{_attrs({'class': self.css_class or None})}"
            f' aria-label="{escape(self.label, quote=True)}"'
            f' viewBox="0 0 {number(self.width)} {number(self.height)}"'
            f' width="{number(self.width)}" height="{number(self.height)}"'
            ' font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">'
        )
        parts = [head, f"<title>{escape(self.label)}</title>"]
        if self.description:
            parts.append(f"<desc>{escape(self.description)}</desc>")
        if self._defs:
            parts.append("<defs>" + "".join(self._defs) + "</defs>")
        parts += self._body
        parts.append("</svg>")
        return "".join(parts)
