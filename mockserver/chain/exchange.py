"""The exchange link: hands the request to the APIs (Connexion); the last link of every chain that serves them."""

from __future__ import annotations

from mockserver.chain.base import Answer, Call, Setup


class Exchange:
    def __init__(self, setup: Setup) -> None:
        self.app = setup.app

    def enter(self, call: Call) -> Answer | None:
        return self.answer

    async def answer(self, call: Call) -> None:
        await self.app(call.scope, call.receive, call.forward)
