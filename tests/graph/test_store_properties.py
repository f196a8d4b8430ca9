"""Property-based: `find` agrees with the same filter and sort done in plain Python."""

from __future__ import annotations

import itertools
import operator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.graph.store import Cond, Op, Store

_run = itertools.count()
names = st.sampled_from(["张三", "李四", "王五", "ＡＢＣ", "abc", "Abc", "赵六", "钱七"])
rounds = st.lists(st.fixed_dictionaries({"name": names,
                                         "year": st.one_of(st.none(),
                                                           st.integers(2018, 2026))}),
                  max_size=25)
conditions = st.one_of(
    st.none(),
    st.tuples(st.sampled_from([Op.EQ, Op.NE, Op.LT, Op.GE]), st.integers(2018, 2026)),
    st.tuples(st.just(Op.IN), st.lists(st.integers(2018, 2026), max_size=3)),
    st.tuples(st.just(Op.IS_NULL), st.none()),
)


def _matches(year: int | None, cond: tuple[Op, object] | None) -> bool:
    if cond is None:
        return True
    op, value = cond
    if op is Op.IS_NULL:
        return year is None
    if year is None:
        return False
    if op is Op.IN:
        return year in value  # type: ignore[operator]
    compare = {Op.EQ: operator.eq, Op.NE: operator.ne, Op.LT: operator.lt, Op.GE: operator.ge}
    return compare[op](year, value)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rounds, cond=conditions, by=st.sampled_from(["name", "year"]),
       descending=st.booleans(), limit=st.integers(1, 10), offset=st.integers(0, 12))
def test_find_agrees_with_python(store: Store, rows: list[dict], cond: tuple | None, by: str,
                                 descending: bool, limit: int, offset: int) -> None:
    prefix = f"R{next(_run):05d}-"
    data = [{"code": f"{prefix}{i:03d}", **row} for i, row in enumerate(rows)]
    store.upsert_nodes("Round", data)
    where: dict = {"code": Cond(Op.PREFIX, prefix)}
    if cond is not None:
        where["year"] = Cond(*cond)
    page = store.find("Round", where=where, order_by=by, descending=descending, limit=limit,
                      offset=offset)
    expected = [r for r in data if _matches(r["year"], cond)]
    present = sorted((r for r in expected if r[by] is not None),
                     key=lambda r: r[by], reverse=descending)
    # ties are broken by uid ascending whatever the direction: compare as groups of equals
    missing = [r for r in expected if r[by] is None]
    ordered_values = [r[by] for r in present] + [None] * len(missing)
    assert page.total == len(expected)
    assert [n.get(by) for n in page.items] == ordered_values[offset:offset + limit]
    assert all(n.key.startswith(prefix) for n in page.items)
