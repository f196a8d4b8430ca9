"""The deployment's keys: where they live (apart from the data), how they are made, and that
`collab seed` and `collab init` honour a configured path (items 9 and 13 of issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from keys import AUDIT_KEY

from collab.access import audit, keys
from collab.access.audit import Kind, Origin
from collab.access.idnumbers import IdKey
from collab.config import Config
from collab.errors import ConfigError
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_keys_come_from_the_environment_or_their_files(tmp_path: Path) -> None:
    assert Config.from_env({"COLLAB_ID_KEY": "ab" * 32}).load_key().digest("1") == \
        IdKey.from_secret(bytes.fromhex("ab" * 32)).digest("1")
    path = tmp_path / "id.key"
    path.write_text("cd" * 32, encoding="ascii")
    assert Config.from_env({"COLLAB_KEY_FILE": str(path)}).load_key().digest("1") == \
        IdKey.from_secret(bytes.fromhex("cd" * 32)).digest("1")
    with pytest.raises(ConfigError, match="missing"):
        Config.from_env({"COLLAB_KEY_FILE": str(tmp_path / "missing")}).load_key()
    with pytest.raises(ConfigError):
        Config.from_env({"COLLAB_ID_KEY": "short"}).load_key()
    audit_file = tmp_path / "audit.key"
    audit_file.write_text("ef" * 32, encoding="ascii")
    assert Config.from_env({"COLLAB_AUDIT_KEY_FILE": str(audit_file)}).load_audit_key() \
        .chain("x") == keys.AuditKey.from_secret(bytes.fromhex("ef" * 32)).chain("x")


def test_by_default_keys_live_in_their_own_folder_made_owner_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = Config.from_env({})
    first = config.ensure_key()
    store = SqliteStore(tmp_path / "c.sqlite3")
    store.init_schema()
    made = config.provision_audit_key(store)
    store.close()
    folder = tmp_path / "keys"
    assert sorted(p.name for p in folder.iterdir()) == ["collab-audit.key", "collab-id.key"]
    assert _mode(folder) == 0o700
    assert _mode(folder / "collab-id.key") == _mode(folder / "collab-audit.key") == 0o600
    assert not (tmp_path / "var").exists()  # nothing of the keys in the data folder
    assert config.load_key().digest("1") == first.digest("1")
    assert config.load_audit_key().chain("x") == made.chain("x")


def test_a_key_left_in_the_data_folder_is_named_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "collab-id.key").write_text("ab" * 32, encoding="ascii")
    with pytest.raises(ConfigError, match="mv var/collab-id.key keys/collab-id.key"):
        Config.from_env({}).ensure_key()
    assert not (tmp_path / "keys").exists()
    moved = Config.from_env({"COLLAB_KEY_FILE": "var/collab-id.key"}).load_key()
    assert moved.digest("1") == IdKey.from_secret(bytes.fromhex("ab" * 32)).digest("1")


def test_the_audit_key_is_not_made_anew_for_a_trail_sealed_with_one(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "keys" / "collab-audit.key"
    assert store.read(lambda tx: audit.provision_key(tx, secret="", path=path)) is not None
    path.unlink()
    store.write(lambda tx: audit.append(tx, key=AUDIT_KEY, origin=Origin("x"),
                                        kind=Kind.VIEW, event="nodes.index"))
    with pytest.raises(ConfigError, match="restore the key from its backup"):
        store.read(lambda tx: audit.provision_key(tx, secret="", path=path))
    assert not path.exists()


def _collab(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collab", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600, check=False)


def test_seed_makes_the_key_where_collab_key_file_says(tmp_path: Path) -> None:
    """Item 13: `collab seed` with COLLAB_KEY_FILE naming a file not there yet used to fail,
    naming var/collab-id.key; now it makes the key at that path, owner-only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    target = tmp_path / "secrets" / "deploy" / "id.key"
    env |= {"PYTHONPATH": str(ROOT), "COLLAB_DATABASE": str(tmp_path / "collab.sqlite3"),
            "COLLAB_KEY_FILE": str(target), "COLLAB_KEYS_DIR": str(tmp_path / "keys")}
    init = _collab("init", env=env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert target.is_file() and _mode(target) == 0o600 and _mode(target.parent) == 0o700
    target.unlink()  # as if the key was never made: `seed` alone must make it
    done = _collab("seed", "yunnan", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert target.is_file() and _mode(target) == 0o600
    assert not (tmp_path / "var").exists()
    assert (tmp_path / "keys" / "collab-audit.key").is_file()
