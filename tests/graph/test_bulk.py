"""Bulk export for neo4j-admin: the same files from both engines, and a real offline import.

The import test runs the importer from the same Neo4j 5.26 jars as the test server
(`org.neo4j.cli.AdminTool`, what the `neo4j-admin` script runs), into a fresh Neo4j home,
starts a second real server on it, and checks the graph and a figure against the source.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from collab.access.idnumbers import IdKey
from collab.analysis import figures
from collab.errors import CollabError
from collab.graph import bulk
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store
from seeds import synthetic

ROOT = Path(__file__).resolve().parents[2]
NEO4J_SCRIPT = ROOT / "scripts" / "neo4j-local" / "neo4j-local"
LOCAL_PASSWORD = "collab-test-pw"  # what neo4j-local sets on a new home
KEY = IdKey.from_secret(b"collab-test-bulk-export-key-not-a-secret")
SCOPE = figures.Scope(start=date(2020, 1, 1), end=date(2026, 12, 31), as_of=date(2026, 6, 30))


def _fill(store: Store) -> None:
    """Every kind of value the importer must read back unchanged."""
    store.upsert_nodes("Region", [{"code": "532628", "name": "富宁县", "level": "county"}])
    store.upsert_nodes("Unit", [{"code": "U1", "name": '那能乡"党委",第一', "kind": "",
                                 "region_code": "532628", "synthetic": True},
                                {"code": "U2", "name": "第一行\n第二行", "region_code": "532628"}])
    store.upsert_rels("IN_REGION", [{"src": "U1", "dst": "532628"}, {"src": "U2", "dst": "532628"}],
                      src="Unit", dst="Region")
    store.upsert_nodes("Person", [{"uid": "p-1", "name": "张三", "birth_date": date(1961, 3, 9)}])
    store.upsert_rels("WORKS_AT", [{"src": "p-1", "dst": "U1", "since": date(2020, 1, 2),
                                    "position": "支部书记"}], src="Person", dst="Unit")
    store.upsert_nodes("Case", [{"no": "AJ-1", "funds_recovered": 2_000_000.5,
                                 "sanctions": ["党纪处分;警告", "组织处理"],
                                 "filed_on": date(2023, 6, 30)}])
    store.upsert_nodes("Event", [{"uid": "e-1", "kind": "transition", "object_label": "Case",
                                  "object_key": "AJ-1",
                                  "at": datetime(2023, 6, 30, 8, tzinfo=UTC)}])
    store.upsert_rels("EVENT_OF", [{"src": "e-1", "dst": "AJ-1"}], src="Event", dst="Case")


def _files(directory: Path) -> dict[str, list[list[str]]]:
    return {p.name: list(csv.reader(p.open(encoding="utf-8", newline="")))
            for p in sorted(directory.glob("*.csv"))}


def test_files_have_the_importers_header_layout(store: Store, tmp_path: Path) -> None:
    _fill(store)
    done = bulk.export(store, tmp_path / "out")
    assert (done.nodes, done.rels) == (6, 4)
    files = _files(tmp_path / "out")
    unit_header, *units = files["nodes-Unit.csv"]
    assert unit_header[:4] == ["uid:ID", ":LABEL", "synthetic:boolean", "note:string"]
    assert "code:string" in unit_header and "name:string" in unit_header
    rows = {row[unit_header.index("code:string")]: dict(zip(unit_header, row, strict=True))
            for row in units}
    assert rows["U1"][":LABEL"] == "Unit\x1fNode" and rows["U1"]["synthetic:boolean"] == "true"
    assert rows["U1"]["name:string"] == '那能乡"党委",第一' and rows["U1"]["kind:string"] == ""
    assert rows["U2"]["name:string"] == "第一行\n第二行"
    raw = (tmp_path / "out" / "nodes-Unit.csv").read_text(encoding="utf-8")
    assert '"U1","那能乡""党委"",第一",""' in raw  # an empty string stays one
    assert '"U2","第一行\n第二行",,' in raw  # a missing value is an empty, unquoted cell
    case_header, case = files["nodes-Case.csv"]
    assert "funds_recovered:double" in case_header and "sanctions:string[]" in case_header
    assert case[case_header.index("sanctions:string[]")] == "党纪处分;警告\x1f组织处理"
    assert case[case_header.index("filed_on:string")] == "2023-06-30"
    event_header, event = files["nodes-Event.csv"]
    assert event[event_header.index("at:string")] == "2023-06-30T08:00:00.000000+00:00"
    works_header, works = files["rels-WORKS_AT.csv"]
    assert works_header == [":START_ID", ":END_ID", ":TYPE", "position:string", "since:string",
                            "until:string"]
    assert works[:3] == ["p-1", store.get("Unit", "U1").uid, "WORKS_AT"]
    args = (tmp_path / "out" / "import.args").read_text(encoding="utf-8").split()
    assert "--array-delimiter=U+001F" in args and "--nodes=nodes-Case.csv" in args
    assert "--relationships=rels-WORKS_AT.csv" in args


@pytest.mark.neo4j
def test_both_engines_write_the_same_files(tmp_path: Path, sqlite_graph: SqliteStore,
                                           neo4j_graph: Neo4jStore) -> None:
    for store in (sqlite_graph, neo4j_graph):
        _fill(store)
        bulk.export(store, tmp_path / store.backend)
    assert _files(tmp_path / "sqlite") == _files(tmp_path / "neo4j")


def test_only_into_a_new_or_empty_folder(sqlite_graph: SqliteStore, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    with pytest.raises(CollabError, match="not an empty folder"):
        bulk.export(sqlite_graph, tmp_path / "full")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def imported_server(tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """An export folder, a fresh Neo4j home to import into, and the environment to start a
    second local server on that home (the test server's jars, a port of its own)."""
    shared = Path(os.environ.get("NEO4J_LOCAL_HOME", ROOT / ".neo4j"))
    if not (shared / "lib").is_dir():
        subprocess.run([str(NEO4J_SCRIPT), "provision"], check=True, timeout=900)
    state, home = tmp_path / "state", tmp_path / "home"
    state.mkdir()
    home.mkdir()
    for name in ("build", "lib"):
        (state / name).symlink_to((shared / name).resolve())
    (state / "provisioned.sha256").write_text((shared / "provisioned.sha256").read_text())
    env = {**os.environ, "NEO4J_LOCAL_HOME": str(state), "NEO4J_LOCAL_PORT": str(_free_port()),
           "NEO4J_LOCAL_DATA": str(home), "NEO4J_LOCAL_START_TIMEOUT": "600"}
    yield tmp_path / "export", home, env
    subprocess.run([str(NEO4J_SCRIPT), "stop"], env=env, capture_output=True, timeout=120,
                   check=False)


@pytest.mark.neo4j
def test_neo4j_admin_imports_the_files_into_the_same_graph(
        sqlite_graph: SqliteStore, imported_server: tuple[Path, Path, dict[str, str]]) -> None:
    export_dir, home, env = imported_server
    _fill(sqlite_graph)
    synthetic.load(sqlite_graph, scale="village", seed=3, key=KEY)
    bulk.export(sqlite_graph, export_dir)
    lib = Path(env["NEO4J_LOCAL_HOME"]) / "lib"
    done = subprocess.run(["java", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool", "database",
                           "import", "full", "@import.args", "neo4j"],
                          cwd=export_dir, env={**env, "NEO4J_HOME": str(home)},
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    started = subprocess.run([str(NEO4J_SCRIPT), "start"], env=env, capture_output=True,
                             text=True, timeout=600, check=False)
    assert started.returncode == 0, started.stderr[-2000:]
    imported = Neo4jStore(started.stdout.strip().splitlines()[-1], "neo4j", LOCAL_PASSWORD)
    try:
        imported.init_schema()
        for kind in ("nodes", "rels"):
            assert imported.counts()[kind] == sqlite_graph.counts()[kind]
        for label, key in (("Unit", "U1"), ("Unit", "U2"), ("Case", "AJ-1"), ("Event", "e-1"),
                           ("Person", "p-1")):
            assert imported.get(label, key) == sqlite_graph.get(label, key)
        source = sqlite_graph.read(lambda g: figures.summary(g, scope=SCOPE))
        assert imported.read(lambda g: figures.summary(g, scope=SCOPE)) == source
        assert imported.read(lambda g: figures.conversion(g, scope=SCOPE, by="department")) \
            == sqlite_graph.read(lambda g: figures.conversion(g, scope=SCOPE, by="department"))
    finally:
        imported.close()
