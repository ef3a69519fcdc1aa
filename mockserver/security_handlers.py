"""Connexion's security handlers, minus their per-request `inspect.signature` (issue 13).

Connexion 3.3's security wrapper (`AbstractSecurityHandler._generic_check`) asks, on every request, whether the
info function (`x-tokenInfoFunc`, `x-apikeyInfoFunc`, ...) accepts `required_scopes` and `request`, by inspecting its
signature twice (about 8% of a request's own CPU through Connexion, bench/PROFILE.md). A function's signature does
not change while it lives, so the answer is kept per (function, keyword); everything else is Connexion's own code.

Not simulated: nothing; a performance layer with no behaviour of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from connexion import utils
from connexion.security import SECURITY_HANDLERS

ACCEPTS_KEPT = 256  # (info function, keyword) pairs: a handful per spec


@functools.lru_cache(maxsize=ACCEPTS_KEPT)
def accepts_kwarg(func: Callable[..., Any], keyword: str) -> bool:
    """Connexion's `_accepts_kwarg`: the function takes `keyword` by name or takes `**kwargs`."""
    arguments, has_kwargs = utils.inspect_function_arguments(func)
    return has_kwargs or keyword in arguments


class _KeptSignature:
    @staticmethod
    def _accepts_kwarg(func: Callable[..., Any], keyword: str) -> bool:
        return accepts_kwarg(func, keyword)


def security_map() -> dict[str, type]:
    """Connexion's handlers by scheme (its `security_map` argument), each asking a function's signature once."""
    return {
        name: type(f"Kept{handler.__name__}", (_KeptSignature, handler), {})
        for name, handler in SECURITY_HANDLERS.items()
    }
