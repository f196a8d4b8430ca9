"""The test suite's deployment keys: an audit key every test process shares, and a keys
folder of its own, so no test writes keys or checkpoints into the working tree."""

from __future__ import annotations

from collab.access.keys import AuditKey

AUDIT_KEY_HEX = "a0d17" * 12 + "a0d1"
AUDIT_KEY = AuditKey.from_secret(bytes.fromhex(AUDIT_KEY_HEX))
