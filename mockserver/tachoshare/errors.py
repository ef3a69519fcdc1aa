"""TachoShare's refusals: the texts it sends, word for word from the reference's "Response codes" table.

The table has a Message and a Description column; an error body's `description` carries the Description where the
reference gives one (401, 403, 404, 406, 409, 429) and, for 400, the Message followed by what was wrong, so every
400 starts the same way whatever its cause. The one 400 the reference words in full (a change of tachograph
generation) is sent exactly as written. The README's "Error texts" table lists these beside the reference's words;
`tests/tachoshare/test_fidelity_texts.py` proves the server sends them.
"""

from __future__ import annotations

BAD_REQUEST = "A request parameter is missing or is not properly specified"
UNAUTHORIZED = "The access token used is not valid anymore. It needs to be refreshed with refresh token."
FORBIDDEN = "The access token is not valid for the required scopes."
NOT_FOUND = "The vehicle or driver card requested doesn't exist in the system or the client has no access over it."
NOT_ACCEPTABLE = "The requested MIME types are not acceptable."
CONFLICT = "The resource is in a state in which the service cannot be accepted."
TOO_MANY_REQUESTS = "The user has sent too many requests in a given amount of time."


def bad_request(detail: str) -> str:
    """A 400's description: the reference's message, then what was wrong."""
    return f"{BAD_REQUEST}: {detail}"


def generation_split(change: str, start: str, end: str) -> str:
    """The reference's own 400 text for a range that crosses a change of tachograph generation."""
    return (
        f"A different tachograph generation was detected on {change}. Please make two requests: "
        f"the first one using this date in the {end} and the second one using this date in {start}."
    )
