"""The rules of a page, whatever the provider: keys, masking, the summary, the URLs."""

from __future__ import annotations

import pytest

from ictui.domain.enums import Severity
from ictui.domain.errors import InvalidInput
from ictui.domain.paging import SEVERITY_OF, check_key, check_url, mask_key, summary


def test_a_key_is_32_letters_and_digits_and_shown_masked() -> None:
    key = "R01" + "A1B2C3D4E5F6G7H8I9J0K1L2M" + "89AB"
    assert check_key(f"  {key} ") == key
    assert check_key("") == ""
    assert mask_key(key) == "R01…89AB" and mask_key("") == ""
    for bad in ("short", key + "0", key[:-1] + " ", key[:-1] + "é"):
        with pytest.raises(InvalidInput, match="32 letters and digits") as refused:
            check_key(bad)
        assert bad.strip() not in str(refused.value)


def test_the_summary_names_the_incident_and_fits_pagerdutys_limit() -> None:
    assert summary(42, Severity.SEV1, "Card payments declined") == "#42 [SEV1] Card payments declined"
    assert summary(42, Severity.SEV2, "Checkout", "EU only") == "#42 [SEV2] Checkout: EU only"
    long = summary(42, Severity.SEV3, "x" * 2000)
    assert len(long) == 1024 and long.endswith("…")
    assert [SEVERITY_OF[s] for s in Severity] == ["critical", "error", "warning", "info"]


@pytest.mark.parametrize(
    "url",
    ["https://events.pagerduty.com", "http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8080/"],
)
def test_pagerdutys_urls_are_https_or_loopback(url: str) -> None:
    assert check_url(url, "PAGERDUTY_EVENTS_URL") == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://events.pagerduty.com", "ftp://127.0.0.1", "events.pagerduty.com", "http://10.0.0.1"]
)
def test_any_other_url_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput, match="PAGERDUTY_EVENTS_URL must be an https:// URL"):
        check_url(url, "PAGERDUTY_EVENTS_URL")
