"""What both reference clients share: the injected clock, the bounded retrier, the base of their typed errors.

`contracts.tachoshare` and `contracts.reveal` sit side by side on top of this package; neither imports the other.
"""

from contracts.common.clock import Clock, system_clock
from contracts.common.errors import ClientError, StatusError, registry, status_class
from contracts.common.retry import NO_RETRIES, Retrier, RetryPolicy, retry_after_seconds

__all__ = [
    "NO_RETRIES",
    "ClientError",
    "Clock",
    "Retrier",
    "RetryPolicy",
    "StatusError",
    "registry",
    "retry_after_seconds",
    "status_class",
    "system_clock",
]
