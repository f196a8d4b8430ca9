"""No plain ID number at rest: import ledgers full of valid ID numbers with the real `collab`
commands, back up and export, then search every file they could have reached.

The database files (SQLite with its -wal and -shm; the Neo4j test server's store and
transaction logs, for this test's numbers: other tests put numbers there through the port on
purpose, to prove pages mask them), the backup, the export, the commands' output and logs,
the instance folder and the temp folder they were given are read byte by byte (gzip and zip
parts unpacked) for any valid 18-digit ID number (right birth date, right check digit). The
store is also read property by property, since Neo4j may pack a digit string so that a byte
scan cannot see it.
The scan is first shown to find the numbers in the ledgers themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from idscan import in_files, number, valid_numbers
from keys import process_env
from ledger_helpers import base, xlsx

from collab.access import idnumbers
from collab.graph.store import Store

ROOT = Path(__file__).resolve().parents[2]
KEY_HEX = "5a" * 32
NUMBERS = [number("53262819550301002"), number("53262819621115003"),
           number("53262219800229004"), number("53060219731231005")]


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*")
            if p.is_file()]


@dataclass
class Deployment:
    """Where one engine keeps its data, and the environment the commands run with."""

    store: Store
    env: dict[str, str]
    data_folder: Path | None  # the Neo4j server's, when it runs on this machine


def neo4j_data_folder() -> Path | None:
    """The test server's store folder, when it runs on this machine (scripts/neo4j-local)."""
    state = Path(os.environ.get("NEO4J_LOCAL_HOME") or ROOT / ".neo4j")
    named = state / "neo4j.data"
    folder = Path(named.read_text().strip()) if named.is_file() else state / "data"
    return folder if folder.is_dir() else None


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Deployment:
    env = process_env(COLLAB_ID_KEY=KEY_HEX)  # the run's audit key: Neo4j holds its chain
    env |= { "TMPDIR": str(tmp_path / "tmp"),
            "COLLAB_INSTANCE": str(tmp_path / "var"), "PYTHONPATH": str(ROOT)}
    (tmp_path / "tmp").mkdir()
    if request.param == "sqlite":
        db = tmp_path / "collab.sqlite3"
        env |= {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(db)}
        run(env, tmp_path, "init")
        from collab.graph.sqlite_engine import SqliteStore

        store: Store = SqliteStore(db)
        request.addfinalizer(store.close)
        folder = None
    else:
        store = request.getfixturevalue("neo4j_graph")
        server = request.getfixturevalue("neo4j_server")
        env |= {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": server["uri"],
                "COLLAB_NEO4J_USER": server["user"],
                "COLLAB_NEO4J_PASSWORD": server["password"]}
        folder = neo4j_data_folder()
    store.write(base)
    return Deployment(store, env, folder)


def run(env: dict[str, str], cwd: Path, *args: str) -> str:
    """One `collab` command as its own process; its output, also kept in cwd/logs."""
    done = subprocess.run([sys.executable, "-m", "collab", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)
    logs = cwd / "logs"
    logs.mkdir(exist_ok=True)
    with (logs / "commands.log").open("a", encoding="utf-8") as log:
        log.write(done.stdout + done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def ledgers(folder: Path) -> list[Path]:
    """A roster and a clue ledger naming people by valid ID numbers, one also in free text."""
    people = [["姓名", "身份证号", "工作单位", "职务", "区划代码"],
              ["王某", NUMBERS[0], "富宁县纪委监委", "干部", "532628"],
              ["李某", NUMBERS[1], "富宁县委组织部", "干部", "532628"],
              ["赵某", NUMBERS[2], "", "村民", "532622"]]
    clues = [["线索编号", "线索标题", "登记日期", "被反映人", "被反映人身份证号", "线索状态",
              "区划代码"],
             ["XS-901", f"反映孙某（身份证{NUMBERS[3]}）冒领补贴", "2023-05-10", "王某",
              NUMBERS[0], "已登记", "532628"]]
    folder.mkdir()
    return [xlsx(folder / "人员台账.xlsx", {"人员": people}),
            xlsx(folder / "线索台账.xlsx", {"线索": clues})]


def test_no_valid_id_number_is_left_in_plain_text(deployment: Deployment,
                                                  tmp_path: Path) -> None:
    sources = ledgers(tmp_path / "in")
    assert set().union(*in_files(sources).values()) == set(NUMBERS)  # the scan sees them
    for ledger in sources:
        run(deployment.env, tmp_path, "import", str(ledger))
    (tmp_path / "out").mkdir()
    run(deployment.env, tmp_path, "backup", str(tmp_path / "out" / "collab.dump.gz"))
    run(deployment.env, tmp_path, "export", "people", "-o", str(tmp_path / "out" / "人员.xlsx"))
    people = deployment.store.find("Person", limit=100).items
    assert len(people) == 3 and all(p.get("id_enc") and p.get("id_hash") for p in people)
    stored = " ".join(str(v) for label in ("Person", "Clue") for n in
                      deployment.store.find(label, limit=100).items for v in n.props.values())
    assert valid_numbers(stored.encode()) == set()
    assert idnumbers.mask(NUMBERS[3]) in stored  # the one typed into a title, masked
    written = files_under(tmp_path / "out", tmp_path / "var", tmp_path / "tmp",
                          tmp_path / "logs")
    written += [p for p in tmp_path.glob("collab.sqlite3*")]
    assert any(p.name == "collab.dump.gz" for p in written)
    assert in_files(written) == {}
    if deployment.data_folder:  # the shared test server also holds other tests' data
        found = in_files(files_under(deployment.data_folder))
        assert {f: n & set(NUMBERS) for f, n in found.items() if n & set(NUMBERS)} == {}
