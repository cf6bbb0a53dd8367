"""Who a referral-link visitor is, for counting each once per window: a digest of the code,
the window and the client's network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty_server.services.referral import VISIT_WINDOW_SECONDS, visitor_key

NOW = datetime(2026, 5, 15, 12, 0, tzinfo=UTC)


def test_the_same_address_code_and_window_is_the_same_visitor():
    assert visitor_key("ABC123", "203.0.113.7", NOW) == visitor_key("ABC123", "203.0.113.7", NOW)


def test_another_address_code_or_window_is_another_visitor():
    key = visitor_key("ABC123", "203.0.113.7", NOW)
    assert visitor_key("ABC123", "203.0.113.8", NOW) != key
    assert visitor_key("XYZ789", "203.0.113.7", NOW) != key
    later = NOW + timedelta(seconds=VISIT_WINDOW_SECONDS)
    assert visitor_key("ABC123", "203.0.113.7", later) != key


def test_an_ipv6_host_is_its_64_and_a_mapped_ipv4_address_is_the_ipv4_address():
    key = visitor_key("ABC123", "2001:db8:1:2::1", NOW)
    assert visitor_key("ABC123", "2001:db8:1:2:ffff:1:2:3", NOW) == key
    assert visitor_key("ABC123", "2001:db8:1:3::1", NOW) != key
    v4 = visitor_key("ABC123", "203.0.113.7", NOW)
    assert visitor_key("ABC123", "::ffff:203.0.113.7", NOW) == v4


def test_the_key_keeps_no_address_and_fits_its_column():
    key = visitor_key("ABC123", "203.0.113.7", NOW)
    assert len(key) == 32 and set(key) <= set("0123456789abcdef")  # a digest, no address
    assert len(visitor_key("ABC123", "", NOW)) == 32  # no client address at all
    assert len(visitor_key("ABC123", "testclient", NOW)) == 32
