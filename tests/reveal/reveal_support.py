"""Helpers for the Reveal API tests: credentials, headers, XML-to-value conversion, a duty-log strategy."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from starlette.testclient import TestClient

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
APP_ID = "DEMOAPPID"
LOGBOOK = "/reveal/logbook/v1/driver"
# Elements whose children are list items (strings or records), as the XML format declares them.
LIST_ELEMENTS = {"TrailerNumber", "ShippingReference", "ArrayOfLogbookStatus"}


def token(client: TestClient, username: str = "demo", password: str = "demo") -> str:
    response = client.get("/reveal/token", auth=(username, password))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def atmosphere(value: str, app_id: str = APP_ID, *, realm_form: bool = False) -> dict[str, str]:
    if realm_form:
        return {"Authorization": f"Atmosphere realm=http://atmosphere,atmosphere_app_id={app_id}, Bearer {value}"}
    return {"Authorization": f"Atmosphere atmosphere_app_id=fleetmatics-p-us-{app_id}, Bearer {value}"}


def demo_headers(client: TestClient) -> dict[str, str]:
    return atmosphere(token(client))


def xml_value(element: ET.Element) -> Any:
    """An XML element as the JSON value it stands for, every scalar as its text."""
    if element.get(XSI_NIL) == "true":
        return None
    if element.tag in LIST_ELEMENTS:
        return [xml_value(child) for child in element]
    if len(element):
        return {child.tag: xml_value(child) for child in element}
    return element.text or ""


def as_text(value: Any) -> Any:
    """A JSON value with every scalar turned into the text XML would carry."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


STATUSES: list[tuple[str, str | None]] = [
    ("OnDutyDriving", None),
    ("OnDutyNotDriving", None),
    ("OnDutyNotDriving", "Loading"),
    ("OnDutyNotDriving", "YardMove"),
    ("OffDuty", None),
    ("OffDuty", "30MinBreak"),
    ("OffDuty", "PersonalUse"),
    ("SleeperBerth", None),
    ("SleeperBerth", "SplitBreak"),
]


@st.composite
def scripted_logs(draw: st.DrawFn, end: datetime, max_events: int = 25) -> list[list[str]]:
    """A LOG.json list whose events all lie within the 9 days before `end` (durations from minutes to a day)."""
    count = draw(st.integers(1, max_events))
    minutes = draw(st.lists(st.integers(1, 24 * 60), min_size=count, max_size=count))
    at = end - timedelta(minutes=sum(minutes)) - timedelta(minutes=draw(st.integers(0, 600)))
    events = []
    for step in minutes:
        status, sub_status = draw(st.sampled_from(STATUSES))
        stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        events.append([stamp, status] + ([sub_status] if sub_status is not None else []))
        at += timedelta(minutes=step)
    return events
