"""The test suite's deployment keys: an audit key every test process shares, and a keys
folder of its own, so no test writes keys or checkpoints into the working tree."""

from __future__ import annotations

import os

from collab.access.keys import AuditKey

AUDIT_KEY_HEX = "a0d17" * 12 + "a0d1"
AUDIT_KEY = AuditKey.from_secret(bytes.fromhex(AUDIT_KEY_HEX))


def process_env(**extra: str) -> dict[str, str]:
    """The environment for a `collab` process a test starts: none of the test run's own COLLAB_
    settings but the keys (so no process writes keys into the working tree), then `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("COLLAB_") or k in ("COLLAB_AUDIT_KEY", "COLLAB_KEYS_DIR")}
    return {**env, **extra}
