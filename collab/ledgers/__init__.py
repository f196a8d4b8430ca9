"""Ledgers (台账) in and out: the spreadsheets inspection staff keep, read and written as they are.

`reading` opens a file safely (size and zip caps, encoding detection), `headers` finds the
header row and matches columns, `values` parses cells, `kinds` declares each ledger's columns,
`build` turns rows into graph writes, `importer` runs all of it all-or-nothing with a `report`,
and `exporter` gives ledgers back in the template layout. The CLI and the web call `importer`
and `exporter` alike.
"""
