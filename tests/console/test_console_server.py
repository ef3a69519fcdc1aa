"""The console on the server side: which paths hold no data (the ELD grid route: test_eld_chart.py)."""

from __future__ import annotations


def test_only_the_shells_and_assets_are_free_of_data() -> None:
    from mockserver.console import holds_no_data

    assert all(map(holds_no_data, ["/_sim/console", "/_sim/console/", "/_sim/console/pages/faults",
                                   "/_sim/console/assets/console.js"]))  # fmt: skip
    assert not any(map(holds_no_data, ["/_sim/console/journal/stream", "/_sim/console/charts/eld", "/_sim/journal",
                                       "/_sim/console/pages/../../journal", "/_sim/consolex"]))  # fmt: skip
