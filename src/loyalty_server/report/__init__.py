"""The owner's report: is the programme working?

`period` cuts the date range, `kpis` holds the pure KPI arithmetic and its definitions,
`queries` reads the facts from the database (SQLite or PostgreSQL) in a few aggregate
queries, `build` puts them together and `render` prints a table, JSON, CSV or an HTML page.

Not here yet: offer uptake and NPS, whose data (offers, feedback answers) is being built
elsewhere; they belong beside the others in `kpis` once it exists.
"""
