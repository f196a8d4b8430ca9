"""Spreadsheets in and out: reading workbooks and CSV safely, parsing cell values, and
keeping text cells from running as formulas. Used by ledgers and cross-checks alike."""
