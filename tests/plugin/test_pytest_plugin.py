"""The pytest plugin, used the way a downstream project would: through pytester, with only the entry point."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

DOWNSTREAM = """
import requests

def test_clock_and_tenant(fleetmock, fleetmock_server, fleetmock_tenant):
    token = fleetmock_tenant.token()
    url = fleetmock_server.base_url + "/tachoshare/vehicles"
    mine = requests.get(url, headers={"Authorization": "Bearer " + token}, timeout=10).json()["items"]
    demo = requests.get(url, headers={"Authorization": "Bearer " + fleetmock.token()}, timeout=10).json()["items"]
    assert mine and not {v["vin"] for v in mine} & {v["vin"] for v in demo}
    before = fleetmock.clock()["now"]
    assert fleetmock.advance(3600)["now"] > before

def test_faults_and_journal(fleetmock, fleetmock_server, fleetmock_tenant):
    fleetmock.add_fault({"match": {"api": "tachoshare", "account": fleetmock_tenant.name}, "times": 1,
                         "respond": {"status": 503}})
    url = fleetmock_server.base_url + "/tachoshare/drivers"
    headers = {"Authorization": "Bearer " + fleetmock_tenant.token()}
    assert requests.get(url, headers=headers, timeout=10).status_code == 503
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    mine = fleetmock.journal(account=fleetmock_tenant.name)
    assert [e["status"] for e in mine] == [503, 200] and mine[0]["fault"]
    fleetmock.clear_faults()

def test_tenants_are_fresh(fleetmock, fleetmock_tenant):
    names = [t["name"] for t in fleetmock._call("GET", "/tenants")["tenants"]]
    assert names == [fleetmock_tenant.name]
"""


@pytest.mark.live
def test_a_downstream_suite_gets_a_server_a_handle_and_fresh_tenants(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=DOWNSTREAM)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=3)
