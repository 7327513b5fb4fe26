"""PagerDuty: alerts through its Events API v2, acknowledgements through its REST API,
both with PagerDuty's own client (the ``pagerduty`` package).

The client's own retries are turned off: it would sleep in a loop on 429 and 5xx, while
ictui's outbox already waits, retries with backoff and shows the IC why. Its bases must
be https; ictui also lets a loopback http:// through (a local fake, in tests), as the
settings do (ictui.domain.paging.check_url).
"""

from __future__ import annotations

import logging
from typing import Any

import pagerduty

from ictui.domain.errors import InvalidInput
from ictui.domain.outbox import RESOLVE_PAGE
from ictui.domain.paging import SEVERITY_OF, PageState, PageWork, check_url
from ictui.paging.base import PagingFailure

# The client logs each failed request; ictui says it once, in its own words (and a
# warning printed by logging's last resort would land in the middle of the cockpit).
logging.getLogger("pagerduty").addHandler(logging.NullHandler())
logging.getLogger("pagerduty").propagate = False

TIMEOUT_SECONDS = 10.0
# Statuses the client must hand back at once rather than retry itself.
_NO_CLIENT_RETRY = {429: 1, 500: 1, 502: 1, 503: 1, 504: 1}


def _tamed(client: Any) -> Any:
    client.retry = dict(_NO_CLIENT_RETRY)
    client.max_http_attempts = -1  # with a retry count set, hand the response back at once
    client.max_network_attempts = 0  # a network error raises at once
    client.timeout = TIMEOUT_SECONDS
    return client


class _LoopbackUrl:
    """The clients' ``url`` accepts https, and http on a loopback address."""

    # The client's own attribute behind its ``url`` (pagerduty.ApiClient: None until set).
    _url: Any

    @property
    def url(self) -> str:
        url: str = self._url  # set by the setter below, which checks it
        return url

    @url.setter
    def url(self, value: str) -> None:
        try:
            self._url = check_url(value, "the PagerDuty URL")
        except InvalidInput as exc:
            raise pagerduty.UrlError(str(exc)) from None


class _EventsClient(_LoopbackUrl, pagerduty.EventsApiV2Client):
    pass


class _RestClient(_LoopbackUrl, pagerduty.RestApiV2Client):
    pass


def slack_link(channel_id: str) -> str:
    """A link that opens the channel in Slack, without knowing the workspace's address."""
    return f"https://slack.com/app_redirect?channel={channel_id}"


class PagerDutyPager:
    """Sends the outbox's paging items to the Events API v2."""

    def __init__(self, events_url: str) -> None:
        self.events_url = events_url

    def send(self, work: PageWork) -> str:
        with _tamed(_EventsClient(work.routing_key, base_url=self.events_url)) as client:
            try:
                if work.action == RESOLVE_PAGE:
                    client.resolve(work.dedup_key)
                    return "resolved"
                links = (
                    [{"href": slack_link(work.slack_channel_id), "text": f"#{work.slack_channel_name}"}]
                    if work.slack_channel_id
                    else []
                )
                client.trigger(
                    work.summary,
                    work.source,
                    dedup_key=work.dedup_key,
                    severity=SEVERITY_OF[work.severity],
                    payload={
                        "timestamp": work.created_at.isoformat(),
                        "group": work.team,
                        "class": "incident",
                    },
                    custom_details={
                        "incident": f"#{work.incident_number}",
                        "severity": str(work.severity),
                        "paged by": work.paged_by,
                        "message": work.message,
                    },
                    links=links,
                )
                return "alert triggered"
            except pagerduty.HttpError as exc:
                raise _failure(exc.response) from None
            except pagerduty.Error as exc:
                if exc.response is not None:
                    raise _failure(exc.response) from None
                raise PagingFailure("PagerDuty could not be reached", unreachable=True) from None


def _failure(response: Any) -> PagingFailure:
    status = int(response.status_code)
    if status == 429:
        return PagingFailure("PagerDuty is throttling events (429)", retry_after=30.0, unreachable=True)
    if status >= 500:
        return PagingFailure(f"PagerDuty is unavailable ({status})", unreachable=True)
    if status == 202:
        # Accepted, but the reply was not what the Events API sends: sent again (it is safe).
        return PagingFailure("PagerDuty's reply could not be read")
    detail = _said(response)
    return PagingFailure(f"PagerDuty refused the event ({status}): {detail}", permanent=True)


def _said(response: Any) -> str:
    """PagerDuty's own words: its message and each error it lists."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or "").strip()[:200] or "no reason given"
    if not isinstance(body, dict):
        return "no reason given"
    errors = [str(e) for e in body.get("errors") or []]
    message = str(body.get("message") or body.get("status") or "")
    return "; ".join([message, *errors] if message else errors) or "no reason given"


class PagerDutyStatus:
    """Reads an alert's incident through the REST API: triggered, acknowledged (by whom), resolved."""

    def __init__(self, api_url: str, token: str) -> None:
        self.api_url = api_url
        self.token = token

    def state(self, dedup_key: str) -> tuple[PageState, str] | None:
        with _tamed(_RestClient(self.token, base_url=self.api_url)) as client:
            try:
                response = client.get("/incidents", params={"incident_key": dedup_key})
            except pagerduty.HttpError as exc:
                status = exc.response.status_code if exc.response is not None else "no response"
                raise PagingFailure(f"PagerDuty's REST API refused the token ({status})") from None
            except pagerduty.Error:
                raise PagingFailure("PagerDuty's REST API could not be reached", unreachable=True) from None
        if response.status_code != 200:
            raise PagingFailure(f"PagerDuty's REST API answered {response.status_code}: {_said(response)}")
        incidents = response.json().get("incidents") or []
        if not incidents:
            return None
        incident = incidents[-1]
        status = str(incident.get("status") or "")
        if status == "acknowledged":
            acks = incident.get("acknowledgements") or []
            names = [str((a.get("acknowledger") or {}).get("summary") or "") for a in acks]
            return PageState.ACKNOWLEDGED, ", ".join(n for n in names if n)
        if status == "resolved":
            return PageState.RESOLVED, ""
        if status == "triggered":
            return PageState.TRIGGERED, ""
        return None
