"""Ledgers (台账) in and out: the spreadsheets inspection staff keep, read as they are.

`mapping` says which column holds which field (synonyms from `kinds`, words from `vocabulary`,
corrections and saved `profiles`), `reader` parses every cell, `importer` checks every row
against the graph within the importer's reach (`resolve`, `names`, `guard`) and writes them
all or none through `build`, with a `report` and, when refused, the clerk's file marked
(`errorbook`); `exporter` gives ledgers and templates back; `places` loads the official
regions. The CLI and the web call the same functions.
"""
