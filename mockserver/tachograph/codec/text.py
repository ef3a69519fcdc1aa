"""Text in tachograph files: the Name/Address code pages (Appendix 1, 2.99), and the error every reader raises."""

from __future__ import annotations

import functools

# Name/Address code pages (Appendix 1, 2.99): value -> Python codec, tried in this order when writing.
CODE_PAGES: dict[int, str] = {
    1: "iso8859-1",
    2: "iso8859-2",
    3: "iso8859-3",
    5: "iso8859-5",
    7: "iso8859-7",
    9: "iso8859-9",
    13: "iso8859-13",
    15: "iso8859-15",
    16: "iso8859-16",
}


class TachoFormatError(ValueError):
    """A file that does not parse; `offset` is the absolute byte offset of the problem."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(f"offset {offset} (0x{offset:X}): {message}")
        self.offset = offset
        self.message = message


# Key: (text, preferred page), all the choice reads (the page list is constant): a hit is exact.
@functools.lru_cache(maxsize=8192)
def encode_with_code_page(text: str, preferred: int = 1) -> tuple[int, bytes]:
    """Pick the first ISO 8859 code page that can hold `text` (preferred first); fall back to '?' in 1.

    Memoised: a file repeats the same few plates and names hundreds of times, and a codec lookup by name costs
    more than the rest of a record's encoding."""
    order = [preferred, *[page for page in CODE_PAGES if page != preferred]]
    for page in order:
        codec = CODE_PAGES.get(page)
        if codec is None:
            continue
        try:
            return page, text.encode(codec)
        except UnicodeEncodeError:
            continue
    return 1, text.encode(CODE_PAGES[1], "replace")


def decode_with_code_page(page: int, data: bytes, at: int) -> str:
    if page in (0, 0xFF):
        if data.strip(b" \x00\xff"):
            raise TachoFormatError(at, f"text present although code page is {page}")
        return ""
    codec = CODE_PAGES.get(page)
    if codec is None:
        raise TachoFormatError(at, f"unknown code page {page}")
    return data.decode(codec).rstrip(" \x00")
