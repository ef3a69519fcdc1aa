"""A few SVG building blocks; every text and attribute value passes through `escape` or `attr`."""

from __future__ import annotations

from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

FONT = "font-family:system-ui,sans-serif;font-size:11px"


def escape(text: object) -> str:
    return _escape(str(text))


def attrs(**values: object) -> str:
    """`key="value"` pairs; a trailing underscore is dropped (`class_`), other underscores become dashes."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f"{name}={quoteattr(str(value))}")
    return " ".join(parts)


def element(tag: str, body: str = "", **values: object) -> str:
    opening = f"<{tag} {attrs(**values)}".rstrip()
    return f"{opening}>{body}</{tag}>" if body else f"{opening}/>"


def text(x: float, y: float, content: object, **values: object) -> str:
    return element("text", escape(content), x=f"{x:.1f}", y=f"{y:.1f}", **values)


def document(width: int, height: int, title: str, body: list[str]) -> str:
    head = attrs(
        xmlns="http://www.w3.org/2000/svg",
        width=width,
        height=height,
        viewBox=f"0 0 {width} {height}",
        role="img",
        style=FONT,
    )
    return f"<svg {head}><title>{escape(title)}</title>{''.join(body)}</svg>\n"


def hh_mm(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    return f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"


def hour_grid(left: float, top: float, width: float, height: float) -> list[str]:
    """Vertical lines and labels for each hour 0..24 across `width` pixels."""
    out = []
    for hour in range(25):
        x = left + width * hour / 24
        out.append(element("line", x1=f"{x:.1f}", y1=top, x2=f"{x:.1f}", y2=top + height, stroke="#ddd"))
        out.append(text(x, top - 4, hour, text_anchor="middle", fill="#555"))
    return out
