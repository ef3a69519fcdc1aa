"""fleetmock's simulator: Webfleet TachoShare.connect and Verizon Connect Reveal LogBook, stateful and spec-driven."""

__version__ = "0.1.0"
