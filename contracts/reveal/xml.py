"""Reveal's XML answers (`Accept: application/xml`) read into the same values as the JSON answers.

Element names are the JSON names; `xsi:nil="true"` is null; the string lists (`TrailerNumber`,
`ShippingReference`) hold one `<string>` per item; a history is `<ArrayOfLogbookStatus>` of `<LogbookStatus>`.
Numbers stay text here: the pydantic models convert them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
STRING_LISTS = frozenset({"TrailerNumber", "ShippingReference"})
ARRAY_PREFIX = "ArrayOf"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def element_value(element: ET.Element) -> Any:
    name = _local(element.tag)
    if element.get(XSI_NIL) == "true":
        return None
    children = list(element)
    if name in STRING_LISTS or name.startswith(ARRAY_PREFIX):
        return [element_value(child) for child in children]
    if children:
        return {_local(child.tag): element_value(child) for child in children}
    return element.text or ""


def parse_xml(content: bytes) -> Any:
    """The JSON-shaped value of an XML answer."""
    return element_value(ET.fromstring(content))
