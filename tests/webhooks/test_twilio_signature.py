"""The hand-written Twilio signature check agrees with the SDK's ``RequestValidator``: on random
requests, on URLs with and without a port, with both algorithms, and on what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from webhooks.twilio_signature import signature_algorithm, valid_signature

SECRET = "12345678901234567890123456789012"

texts = st.text(max_size=40)
params = st.dictionaries(st.text(min_size=1, max_size=12), texts, max_size=8)
hosts = st.sampled_from(["example.com", "book.example.in", "127.0.0.1", "localhost"])
ports = st.sampled_from(["", ":80", ":443", ":8000", ":8443"])
paths = st.sampled_from(["/webhooks/twilio/sms", "/webhooks/twilio/status", "/"])
queries = st.sampled_from(["", "?a=1", "?x=%20y&z=", "?"])


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    return f"{scheme}://{draw(hosts)}{draw(ports)}{draw(paths)}{draw(queries)}"


@st.composite
def signed_urls(draw: st.DrawFn) -> tuple[str, str]:
    """(the URL the request came to, the URL Twilio signed): the same, or the other port form."""
    called = draw(urls())
    signed = draw(st.sampled_from([called, _toggled_port(called)]))
    return called, signed


def _toggled_port(url: str) -> str:
    scheme, rest = url.split("://", 1)
    host, _, tail = rest.partition("/")
    if ":" in host:
        return f"{scheme}://{host.split(':')[0]}/{tail}"
    port = 443 if scheme == "https" else 80
    return f"{scheme}://{host}:{port}/{tail}"


@settings(max_examples=400, deadline=None)
@given(signed_urls(), params, st.sampled_from(["HMAC_SHA1", "HMAC_SHA256", "hmac_sha256"]))
def test_a_request_twilio_signed_is_accepted_exactly_when_the_sdk_accepts_it(
    called_and_signed: tuple[str, str], form: dict[str, str], algorithm: str
) -> None:
    called, signed = called_and_signed
    sdk = RequestValidator(SECRET)
    signature = sdk.compute_signature(signed, form, algorithm)
    expected = sdk.validate(called, form, signature, algorithm)
    assert valid_signature(SECRET, called, form, signature, algorithm=algorithm) == expected


@settings(max_examples=300, deadline=None)
@given(urls(), params, st.text(max_size=44), st.sampled_from(["HMAC_SHA1", "HMAC_SHA256", "MD5"]))
def test_forged_or_garbled_signatures_are_refused_as_the_sdk_refuses_them(
    url: str, form: dict[str, str], signature: str, algorithm: str
) -> None:
    expected = RequestValidator(SECRET).validate(url, form, signature, algorithm)
    assert valid_signature(SECRET, url, form, signature, algorithm=algorithm) == expected


@settings(max_examples=200, deadline=None)
@given(urls(), params, texts)
def test_changing_any_parameter_breaks_the_signature(
    url: str, form: dict[str, str], extra: str
) -> None:
    signature = RequestValidator(SECRET).compute_signature(url, form)
    tampered = {**form, "Body": form.get("Body", "") + extra + "!"}
    assert not valid_signature(SECRET, url, tampered, signature)
    assert not valid_signature("another-secret-of-thirty-two-bytes", url, form, signature)


@pytest.mark.parametrize(
    ("header", "algorithm"),
    [
        (None, "HMAC_SHA1"),
        ("", "HMAC_SHA1"),
        ("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256", "HMAC_SHA256"),
        ("algorithm= hmac_sha256 ,key=k", "HMAC_SHA256"),
        ("key=only", "HMAC_SHA1"),
    ],
)
def test_the_settings_header_names_the_algorithm(header: str | None, algorithm: str) -> None:
    assert signature_algorithm(header) == algorithm
