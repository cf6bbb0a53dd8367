"""rules.totals: what the running totals on a member row must equal."""

from loyalty_server.rules import LedgerLine, LedgerTotals, totals_of


def test_open_points_are_the_lots_remaining_and_qualifying_ignores_voided_lines():
    lines = [
        LedgerLine(amount=100, remaining=60, qualifying=True, voided=False),  # a purchase, spent
        LedgerLine(amount=50, remaining=0, qualifying=True, voided=True),  # a voided purchase
        LedgerLine(amount=-50, remaining=0, qualifying=False, voided=False),  # its void line
        LedgerLine(amount=300, remaining=300, qualifying=False, voided=False),  # a bonus
        LedgerLine(amount=-40, remaining=0, qualifying=False, voided=False),  # a redeem
    ]
    assert totals_of(lines) == LedgerTotals(points_open=360, qualifying_total=100)


def test_an_empty_ledger_has_zero_totals():
    assert totals_of([]) == LedgerTotals(points_open=0, qualifying_total=0)
