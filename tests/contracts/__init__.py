"""The reference clients (`contracts/`) and `fleetmock verify`; the APIs against their specs: tests/conformance."""
