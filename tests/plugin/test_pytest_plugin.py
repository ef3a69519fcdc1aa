"""The pytest plugin, used the way a downstream project would: through pytester, with only the entry point."""

from __future__ import annotations

import re

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


ISOLATION = """
import pytest
import requests

FAULT = {"match": {"api": "tachoshare"}, "times": 1, "respond": {"status": 503}}

def _dirty(fleetmock):
    fleetmock.add_fault(FAULT)
    fleetmock.advance(86400)
    fleetmock.create_tenant("left-behind")
    url = fleetmock.base_url + "/tachoshare/vehicles"
    requests.get(url, headers={"Authorization": "Bearer " + fleetmock.token()}, timeout=10)

def _is_clean(fleetmock):
    return (fleetmock.clock()["now"] == START and not fleetmock._call("GET", "/faults")["rules"]
            and not fleetmock.journal(api="tachoshare") and not fleetmock._call("GET", "/tenants")["tenants"])

def test_1_leaves_state_behind(fleetmock):
    global START
    START = fleetmock.clock()["now"]
    assert _is_clean(fleetmock)
    _dirty(fleetmock)

def test_2_the_next_test_starts_clean(fleetmock):
    assert _is_clean(fleetmock)
    _dirty(fleetmock)

@pytest.mark.fleetmock_shared
def test_3_a_shared_test_sees_what_was_left(fleetmock):
    assert not _is_clean(fleetmock)

def test_4_only_the_server_fixture_is_isolated_too(fleetmock_server):
    assert _is_clean(fleetmock_server.control)
"""


@pytest.mark.live
@pytest.mark.parametrize(
    ("option", "outcome"), [((), {"passed": 4}), (("--fleetmock-isolation", "none"), {"passed": 2, "failed": 2})]
)
def test_each_test_starts_from_the_sessions_state_unless_shared(
    pytester: pytest.Pytester, option: tuple[str, ...], outcome: dict[str, int]
) -> None:
    pytester.makepyfile(test_isolation=ISOLATION)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", *option)
    result.assert_outcomes(**outcome)
    if option:  # without isolation the tests that expect a clean start fail
        result.stdout.fnmatch_lines(["*FAILED*test_2_the_next_test_starts_clean*", "*FAILED*test_4*"])


VERIFY = """
import requests

TOKEN = "/webfleet-auth/uaa/oauth/token"

def _refresh(fleetmock):  # a client refreshing its token with a form body and basic auth
    requests.post(fleetmock.base_url + TOKEN, data={"grant_type": "refresh_token", "refresh_token": "r1"},
                  auth=("demo-partner", "secret"), headers={"X-Client": "fleet-sync"}, timeout=10)

def test_verify_on_headers_and_body_fields(fleetmock):
    _refresh(fleetmock)
    fleetmock.verify(1, path=TOKEN, headers={"x-client": "fleet-sync", "Authorization": {"glob": "Basic *"}},
                     body={"grant_type": "refresh_token", "/refresh_token": "r1"})
    assert fleetmock.count(path=TOKEN, headers={"X-Client": {"absent": True}}) == 0

def test_a_failed_verification_shows_the_differences(fleetmock):
    _refresh(fleetmock)
    fleetmock.verify(1, path=TOKEN, headers={"X-Client": "fleet-sync/2"}, body={"grant_type": "client_credentials"})
"""


@pytest.mark.live
def test_verify_matches_headers_and_body_fields_and_fails_with_their_differences(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_verify=VERIFY)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*expected exactly 1 request(s) matching*found 0*",
        "*POST /webfleet-auth/uaa/oauth/token*",
        "*header x-client: 'fleet-sync', wanted 'fleet-sync/2'*",
        '*body grant_type: "refresh_token", wanted "client_credentials"*',
    ])


def _options(result: pytest.RunResult) -> set[str]:
    """The long options `pytest --help` lists (an option's line starts with it; its wrapped help is indented)."""
    return {found.group(1) for line in result.stdout.lines if (found := re.match(r"  (--[\w-]+)", line))}


def test_the_plugin_adds_only_its_own_options_to_pytest_help(pytester: pytest.Pytester) -> None:
    with_plugin = _options(pytester.runpytest_subprocess("--help"))
    without = _options(pytester.runpytest_subprocess("--help", "-p", "no:fleetmock"))
    added = with_plugin - without
    assert added == {"--fleetmock-world", "--fleetmock-seed", "--fleetmock-url", "--fleetmock-isolation"}


@pytest.mark.live
def test_a_downstream_suite_sees_no_deprecation_warnings_from_the_plugin(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_downstream=DOWNSTREAM)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-W", "error::DeprecationWarning")
    result.assert_outcomes(passed=3)
    assert "Warning" not in result.stdout.str()
