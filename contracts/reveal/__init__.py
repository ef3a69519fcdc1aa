"""Verizon Connect Reveal LogBook reference client."""

from contracts.reveal.client import PRODUCTION_URL, MediaType, RevealClient, reveal_datetime
from contracts.reveal.errors import (
    BadRequest,
    Denied,
    DriverNotFound,
    InvalidToken,
    NotAcceptable,
    RateLimited,
    RevealApiError,
    RevealError,
    ServerError,
    UnexpectedStatus,
    UnreadableAnswer,
)
from contracts.reveal.models import (
    DailyMinutes,
    DutyStatus,
    HoursAgainstRuleSet,
    LogbookStatus,
    RemainingTime,
    StatusRecord,
)

__all__ = [
    "PRODUCTION_URL",
    "BadRequest",
    "DailyMinutes",
    "Denied",
    "DriverNotFound",
    "DutyStatus",
    "HoursAgainstRuleSet",
    "InvalidToken",
    "LogbookStatus",
    "MediaType",
    "NotAcceptable",
    "RateLimited",
    "RemainingTime",
    "RevealApiError",
    "RevealClient",
    "RevealError",
    "ServerError",
    "StatusRecord",
    "UnexpectedStatus",
    "UnreadableAnswer",
    "reveal_datetime",
]
