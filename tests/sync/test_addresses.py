"""Which headquarters addresses a device accepts."""

from __future__ import annotations

import pytest

from fieldkit.errors import HqAddressInsecure, HqAddressInvalid
from fieldkit.sync.pinning import parse_address, same_fingerprint


@pytest.mark.parametrize(
    "text, url",
    [
        ("https://hq.example.org", "https://hq.example.org:443"),
        ("  https://HQ.example.org:8443/ ", "https://hq.example.org:8443"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://localhost:9", "http://localhost:9"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("https://gateway.example.org/fieldkit/", "https://gateway.example.org:443/fieldkit"),
        ("hq.example.org", "https://hq.example.org:443"),  # no scheme means https
        ("hq.example.org:8443/", "https://hq.example.org:8443"),
        ("http://127.0.0.2:8000", "http://127.0.0.2:8000"),  # all of 127/8 is this computer
    ],
)
def test_accepted(text: str, url: str) -> None:
    assert parse_address(text).url == url


@pytest.mark.parametrize(
    "text",
    [
        "http://hq.example.org",  # plain HTTP over a real network
        "http://10.0.0.5:8000",
    ],
)
def test_plain_http_over_a_network_is_refused(text: str) -> None:
    with pytest.raises(HqAddressInsecure):
        parse_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ftp://hq.example.org",
        "https://",
        "https://hq example.org",
        "https://hq.example.org:99999",
    ],
)
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(HqAddressInvalid):
        parse_address(text)


def test_fingerprints_compare_however_they_are_typed() -> None:
    fp = "AB:CD:" + ":".join(["01"] * 30)
    assert same_fingerprint(fp, fp.replace(":", "").lower())
    assert same_fingerprint(fp, fp.replace(":", " "))
    assert not same_fingerprint(fp, fp[:-2] + "02")
    assert not same_fingerprint("", "")
