"""The figures page for leaders: 成案率 (both definitions), 贡献率 per department, the funnel,
lead times and rectification completion, for a region (picked) and a period; every number
opens the records behind it, every table downloads as xlsx, and the page prints on A4."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from collab.analysis import leaders
from collab.analysis.figures import Scope
from collab.errors import NotFound
from collab.sheets.tables import table_xlsx
from collab.web.downloads import attachment, file_name
from collab.web.pickers import picked_arg
from collab.web.store import current_config, current_store

bp = Blueprint("figures", __name__, url_prefix="/figures")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope() -> tuple[Scope, dict[str, Any]]:
    """The scope asked in the query string, and what the form shows again."""
    authz, today = current_user.authz, current_config().today()
    region, text, error = picked_arg("region", "region")
    round_, round_text, round_error = picked_arg("round", "round")
    period = request.args.get("period", "").strip() or None
    department = request.args.get("department") or None
    scope = current_store().read(lambda tx: leaders.scope_for(
        tx, authz=authz, region=region, period=period, as_of=today, department=department,
        round_=round_))
    return scope, {"region_text": text, "region_key": region or "", "region_error": error,
                   "round_text": round_text, "round_key": round_ or "",
                   "round_error": round_error, "period": period or "",
                   "department": department or ""}


def _exact() -> tuple[Scope, dict[str, Any]]:
    """The scope, for a download or a list of records: a region or round that names nothing
    within reach is not found (the page says why; these have no page to say it on)."""
    scope, shown = _scope()
    if shown["region_error"] or shown["round_error"]:
        raise NotFound("not found")
    return scope, shown


def _args(scope: Scope, shown: dict[str, Any]) -> dict[str, str]:
    """The query string that asks for the same scope again (links, downloads)."""
    return {k: v for k, v in (("region_key", scope.region or ""), ("region", shown["region_text"]),
                              ("round_key", scope.round or ""), ("round", shown["round_text"]),
                              ("period", shown["period"])) if v}


@bp.route("/")
def index() -> Any:
    scope, shown = _scope()
    tables = current_store().read(lambda tx: leaders.page(tx, scope=scope))
    return render_template("figures/index.html", scope=scope, shown=shown, args=_args(scope, shown),
                           **tables)


def _rows(table: str, tables: dict[str, Any]) -> tuple[str, list[str], list[list[Any]]]:
    """One table of the page as a sheet: its title, headers and rows (rates in percent)."""
    def pct(v: float | None) -> float | None:
        return None if v is None else round(100 * v, 1)
    if table == "conversion":
        return (_("Clue conversion rate by department"),
                [_("Department"), _("Clues transferred"), _("Cases filed"), _("Settled"),
                 _("Conversion rate (%)"), _("Settled-only rate (%)")],
                [[r["name"], r["transferred"], r["converted"], r["settled"], pct(r["rate"]),
                  pct(r["settled_rate"])] for r in tables["conversion"]])
    if table == "contribution":
        return (_("Contribution rate by department"),
                [_("Department"), _("Cases"), _("From inspection"), _("Contribution rate (%)")],
                [[r["name"], r["cases"], r["from_inspection"], pct(r["rate"])]
                 for r in tables["contribution"]])
    r = tables["rectification"]
    return (_("Rectification"),
            [_("Due"), _("Done"), _("On time"), _("Overdue"), _("Reopened"),
             _("Completion rate (%)"), _("On-time rate (%)")],
            [[r["due"], r["done"], r["on_time"], r["overdue"], r["reopened"],
              pct(r["completion_rate"]), pct(r["on_time_rate"])]])


@bp.route("/<any(conversion, contribution, rectification):table>.xlsx")
def download(table: str) -> Any:
    scope, shown = _exact()
    tables = current_store().read(lambda tx: leaders.page(tx, scope=scope))
    title, headers, rows = _rows(table, tables)
    name = file_name(title, shown["region_text"], shown["period"],
                     day=current_config().today(), ext="xlsx")
    return attachment(table_xlsx(title, headers, rows), name=name,
                      fallback=f"figures-{table}.xlsx", mimetype=XLSX)


@bp.route("/records/<figure>")
def records(figure: str) -> Any:
    """The records behind one number (scoped as the page was)."""
    scope, shown = _exact()
    rows = current_store().read(lambda tx: leaders.records(tx, scope=scope, figure=figure))
    key, label = leaders.DRILLS[figure]
    return render_template("figures/records.html", figure=figure, rows=rows, key=key,
                           label=label, shown=shown, args=_args(scope, shown))
