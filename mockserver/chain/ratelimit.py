"""The rate-limit link: 429 with Retry-After, in the API's own shape, when the caller's bucket is empty
(`mockserver.ratelimit`: rules per API and per token or account, set through `/_sim/ratelimits` or scenarios)."""

from __future__ import annotations

from mockserver.chain.base import Answer, Call, Setup, refuse
from mockserver.errors import ApiError

TOO_MANY = "The user has sent too many requests in a given amount of time."


class RateLimit:
    def __init__(self, setup: Setup) -> None:
        self.sim = setup.sim

    def enter(self, call: Call) -> Answer | None:
        sim = self.sim
        retry_after = sim.rate_limiter.check(sim.rate_limits, call.route.api, call.credential, call.account)
        if not retry_after:
            return None
        call.refusal = ApiError(TOO_MANY, status=429, headers={"Retry-After": str(retry_after)})
        return refuse
