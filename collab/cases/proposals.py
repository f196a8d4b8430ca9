"""Who should take part in a joint check: departments and people, ranked, without conflicts.

Decisions kept here:
- Settings are one frozen `ProposalPolicy` passed in (conflict reach `hops`, default 2; how
  many departments and people per department to propose; the weights of each kind of past
  dealing); `collab.config` sets the reach from COLLAB_CONFLICT_HOPS.
- A department's relevance is learned from the graph, for the issue categories of the
  check's target: issues found with it, cases it filed and transfers it received from clues in
  those categories, its support acts in them, and earlier checks in them — each count times
  its weight. Only departments of the target's own region chain (village up to province) are
  candidates. Ties go to the lighter load (open checks assigned), then the code.
- People are the current staff of the proposed departments, ranked by their department's
  score plus their own experience (earlier checks and inspection groups in the categories),
  then load.
- A conflict of interest excludes a person, with the graph path that caused it: being named
  in an issue (INVOLVES) or a clue (AGAINST) of a target unit; working or having worked at a
  target unit (WORKS_AT, whatever its since/until); or being within `hops` WORKS_AT /
  RELATED_TO steps of a target unit or of a person named in its issues or clues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from collab.errors import N_, CollabError, ConfigError, NotFound
from collab.graph.codec import Node
from collab.graph.queries.checks import (
    CHECK_CATEGORIES,
    CHECK_UNITS,
    DEPARTMENTS,
    NAMED_PEOPLE,
    PEOPLE,
)
from collab.graph.store import Graph, Path

NEAR_TYPES = ("WORKS_AT", "RELATED_TO")
NEAR_LABELS = ("Person", "Unit", "Department")
NAMED_TYPES = {"issue": ("INVOLVES", "CONCERNS"), "clue": ("AGAINST", "FROM_ISSUE", "CONCERNS")}
RULES = {"named_in_clue": "被问题线索反映", "involved_in_issue": "问题涉及人员",
         "works_at_unit": "在被检查单位任职", "worked_at_unit": "曾在被检查单位任职",
         "near_unit": "与被检查单位关系过近", "near_person": "与问题涉及人员关系过近"}
_STEP_NAMES = {"WORKS_AT": "任职", "RELATED_TO": "关系", "INVOLVES": "涉及",
               "AGAINST": "反映", "FROM_ISSUE": "来源", "CONCERNS": "涉及单位"}


class ConflictOfInterest(CollabError):
    """Someone with a conflict of interest was put on a check."""


@dataclass(frozen=True)
class ProposalPolicy:
    """The configurable rules of proposals; the defaults are the decided ones."""

    hops: int = 2
    departments: int = 3
    people_per_department: int = 2
    weights: tuple[tuple[str, int], ...] = (("found_with", 3), ("cases", 3),
                                            ("transfers", 2), ("checks", 2), ("support", 1))
    experience_weight: int = 2
    reach_limit: int = 5000

    def __post_init__(self) -> None:
        if not 1 <= self.hops <= 3:
            raise ConfigError(N_("conflict reach must be 1 to 3 hops, got %(hops)s"),
                              hops=self.hops)


DEFAULT_POLICY = ProposalPolicy()


@dataclass(frozen=True)
class DepartmentChoice:
    """A candidate department: its score, what the score is made of, and its load."""

    code: str
    name: str
    score: int
    load: int
    evidence: dict[str, int]


@dataclass(frozen=True)
class PersonChoice:
    """A candidate person at a proposed department, with score and load."""

    uid: str
    name: str
    department: str
    position: str | None
    score: int
    load: int


@dataclass(frozen=True)
class Exclusion:
    """A person left out for a conflict of interest: the rule, in words, and the path."""

    uid: str
    name: str
    rule: str
    reason: str
    path: Path

    def explain(self) -> str:
        """The reason and the path as one line for the coordinator."""
        return f"{self.name}: {self.reason}（{describe_path(self.path)}）"


@dataclass(frozen=True)
class Proposal:
    """Departments (ranked; the first ones proposed), people to propose, and who was excluded."""

    check: str
    categories: list[str]
    departments: list[DepartmentChoice]
    proposed_departments: list[DepartmentChoice]
    people: list[PersonChoice]
    excluded: list[Exclusion] = field(default_factory=list)


def propose(g: Graph, *, check: str, on: date,
            policy: ProposalPolicy = DEFAULT_POLICY) -> Proposal:
    """Departments and people proposed for `check` as of `on`; conflicted people excluded."""
    units = _units(g, check)
    categories = [r["category"] for r in g.run(CHECK_CATEGORIES, check=check)]
    chain = sorted({c for u in units for c in region_chain(u["region_code"])})
    weights = dict(policy.weights)
    ranked = sorted(
        (DepartmentChoice(r["code"], r["name"], sum(w * r[k] for k, w in weights.items()),
                          r["load"], {k: r[k] for k in weights})
         for r in g.run(DEPARTMENTS, regions=chain, categories=categories, check=check)),
        key=lambda d: (-d.score, d.load, d.code))
    chosen = ranked[:policy.departments]
    scores = {d.code: d.score for d in chosen}
    rows = g.run(PEOPLE, departments=list(scores), categories=categories, check=check,
                 as_of=on)
    screen = _Screen(g, units, policy, on)
    people: dict[str, PersonChoice] = {}
    excluded: dict[str, Exclusion] = {}
    for r in rows:
        if r["uid"] in excluded:
            continue
        found = screen.conflict(r["uid"], r["name"])
        if found is not None:
            excluded[r["uid"]] = found
            continue
        choice = PersonChoice(r["uid"], r["name"], r["department"], r["position"],
                              scores[r["department"]] + policy.experience_weight
                              * (r["checks"] + r["found"]), r["load"])
        if r["uid"] not in people or choice.score > people[r["uid"]].score:
            people[r["uid"]] = choice
    picked: list[PersonChoice] = []
    for d in chosen:
        staff = sorted((p for p in people.values() if p.department == d.code),
                       key=lambda p: (-p.score, p.load, p.uid))
        picked += staff[:policy.people_per_department]
    return Proposal(check, categories, ranked, chosen, picked,
                    sorted(excluded.values(), key=lambda e: e.uid))


def conflicts(g: Graph, *, check: str, people: list[str], on: date,
              policy: ProposalPolicy = DEFAULT_POLICY) -> list[Exclusion]:
    """The conflicts of interest of `people` (uids) for `check`; [] when there are none."""
    if not people:
        return []
    screen = _Screen(g, _units(g, check), policy, on)
    out = []
    for uid in people:
        person = g.get_uid(uid)
        if person is None or person.label != "Person":
            raise NotFound(N_("no person %(uid)r"), uid=uid)
        found = screen.conflict(uid, person.get("name") or uid)
        if found is not None:
            out.append(found)
    return out


def region_chain(code: str | None) -> list[str]:
    """A region code and the codes of every region above it, up to the province."""
    if not code:
        return []
    chain = [code]
    if len(code) == 12:
        chain.append(code[:9])
    if len(code) >= 9:
        chain.append(code[:6])
    county = code[:6]
    chain += [county[:4] + "00", county[:2] + "0000"]
    return list(dict.fromkeys(chain))


def describe_path(path: Path) -> str:
    """A path as people read it: 李四 —关系(配偶)— 王五 —任职(村干部)— 那能乡党委."""
    text = _node_name(path.nodes[0])
    for rel, node in zip(path.rels, path.nodes[1:], strict=True):
        detail = rel.props.get("kind") or rel.props.get("position")
        if rel.props.get("until"):
            detail = f"{detail or ''} 至{rel.props['until'].isoformat()}"
        step = _STEP_NAMES.get(rel.type, rel.type) + (f"({detail.strip()})" if detail else "")
        text += f" —{step}— {_node_name(node)}"
    return text


def _node_name(node: Node) -> str:
    return str(node.get("name") or node.get("title") or node.key)


def _units(g: Graph, check: str) -> list[dict[str, Any]]:
    if g.get("JointCheck", check) is None:
        raise NotFound(N_("no joint check %(no)r"), no=check)
    units = g.run(CHECK_UNITS, check=check)
    if not units:
        raise NotFound(N_("joint check %(no)s checks no unit or rectification task yet"),
                       no=check)
    return units


class _Screen:
    """Finds the conflict of interest of one person towards a check's target units."""

    def __init__(self, g: Graph, units: list[dict[str, Any]], policy: ProposalPolicy,
                 on: date):
        self.g, self.hops, self.on = g, policy.hops, on
        self.units = {u["uid"]: u["name"] for u in units}
        self.named: dict[str, list[dict[str, Any]]] = {}
        for row in g.run(NAMED_PEOPLE, units=[u["code"] for u in units]):
            self.named.setdefault(row["uid"], []).append(row)
        starts = [*self.units, *self.named]
        reach = g.expand(starts, depth=self.hops, types=list(NEAR_TYPES),
                         labels=list(NEAR_LABELS), limit=policy.reach_limit)
        # When the cap cut the neighbourhood short, every candidate is checked path by path.
        self.near = None if reach.capped else {n.uid for n in reach.nodes}

    def conflict(self, uid: str, name: str) -> Exclusion | None:
        for row in sorted(self.named.get(uid, []), key=lambda r: (r["how"] != "clue", r["item"])):
            paths = self.g.shortest_paths(uid, row["unit"], max_hops=3,
                                          types=list(NAMED_TYPES[row["how"]]), limit=1)
            if paths:
                rule = "named_in_clue" if row["how"] == "clue" else "involved_in_issue"
                what = "问题线索" if row["how"] == "clue" else "问题"
                return Exclusion(uid, name, rule, f"{RULES[rule]}：{what}{row['item']}涉及本人",
                                 paths[0])
        if self.near is not None and uid not in self.near:
            return None
        best: tuple[Path, str] | None = None
        for target in [*self.units, *self.named]:
            found = self.g.shortest_paths(uid, target, max_hops=self.hops,
                                          types=list(NEAR_TYPES), labels=list(NEAR_LABELS),
                                          limit=1)
            if found and (best is None or len(found[0].rels) < len(best[0].rels)):
                best = (found[0], target)
        return None if best is None else self._explain(uid, name, *best)

    def _explain(self, uid: str, name: str, path: Path, target: str) -> Exclusion:
        hops = len(path.rels)
        if target in self.units:
            unit = self.units[target]
            if hops == 1 and path.rels[0].type == "WORKS_AT":
                until = path.rels[0].props.get("until")
                if until is not None and until < self.on:
                    return Exclusion(uid, name, "worked_at_unit",
                                     f"{RULES['worked_at_unit']}：{unit}", path)
                return Exclusion(uid, name, "works_at_unit",
                                 f"{RULES['works_at_unit']}：{unit}", path)
            return Exclusion(uid, name, "near_unit",
                             f"{RULES['near_unit']}：与{unit}相距{hops}步", path)
        row = min(self.named[target], key=lambda r: (r["how"] != "clue", r["item"]))
        what = "问题线索" if row["how"] == "clue" else "问题"
        return Exclusion(uid, name, "near_person",
                         f"{RULES['near_person']}：与{what}{row['item']}所涉{row['name']}"
                         f"相距{hops}步", path)
