"""The owner's report: is the programme working?

`period` cuts the date range, `kpis` holds the pure KPI arithmetic and its definitions,
`queries` reads the facts from the database (SQLite or PostgreSQL) in a few aggregate
queries, `build` puts them together and `render` prints a table, JSON, CSV or an HTML page.
NPS comes from the `feedback` table, offer uptake from the programme's offers, the
`member_offers` table (activations) and the ledger's `offer_bonus` lines.
"""
