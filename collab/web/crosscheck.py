"""The data cross-check page (数据比对): two uploaded lists compared, results raised as an issue.

The uploaded files are read in memory, never written to disk. What is kept for the second step
is the result as the page shows it, with ID numbers already masked, sealed (`holding`:
encrypted under a key only this user's session cookie carries), deleted once the issue is
raised and swept after an hour. Only roles that may register issues use the page; for
everyone else it does not exist (404).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from collab.access.audit import Kind
from collab.access.authz import Authz
from collab.analysis import crosscheck as xc
from collab.commands.crosscheck import RaiseIssue
from collab.errors import CollabError
from collab.sheets.reading import Blob, UnreadableFile
from collab.web import auditing, changes, holding
from collab.web.errors import message
from collab.web.forms import CrossCheckForm, RaiseIssueForm
from collab.web.pickers import picked_all
from collab.web.store import current_config

bp = Blueprint("crosscheck", __name__, url_prefix="/crosscheck")
TABLES = ("only_a", "only_b", "mismatched")


def _authz() -> Authz:
    return changes.allowed(RaiseIssue)


def _folder() -> Path:
    return Path(current_app.instance_path) / "crosscheck"


def _held() -> dict[str, Any] | None:
    """The masked result this session compared last, if it is still kept."""
    data = holding.take(_folder(), session.get("crosscheck_held"))
    return json.loads(data.decode("utf-8")) if data is not None else None


def _compare(form: CrossCheckForm) -> dict[str, Any]:
    """Compare the two uploads, in memory; the masked result."""
    lists = []
    for name, field in (("名单A", form.list_a), ("名单B", form.list_b)):
        # Named after the list, so the service's messages say which one is wrong.
        lists.append(Blob(name + Path(field.data.filename or "").suffix.lower(),
                          field.data.read()))
    return xc.crosscheck(lists[0], lists[1], key=form.key.data, reveal=False).to_json()


def _keep(result: dict[str, Any]) -> None:
    holding.drop(_folder(), session.pop("crosscheck_held", None))
    session["crosscheck_held"] = holding.hold(
        _folder(), json.dumps(result, ensure_ascii=False).encode("utf-8"))


def _page(form: CrossCheckForm, result: dict[str, Any] | None, error: str = "") -> Any:
    issue = RaiseIssueForm(formdata=None, found_on=current_config().today())
    return render_template("crosscheck/index.html", form=form, result=result, error=error,
                           issue=issue, tables=TABLES)


@bp.route("/", methods=["GET", "POST"])
def page() -> Any:
    _authz()
    form = CrossCheckForm()
    if form.validate_on_submit():
        auditing.name_event("crosscheck.compare", Kind.VIEW)
        try:
            result = _compare(form)
        except UnreadableFile as e:
            auditing.refused()
            return _page(form, None, e.zh)
        except CollabError as e:
            auditing.refused()
            return _page(form, None, message(e))
        _keep(result)
        return _page(form, result)
    if form.errors:
        auditing.refused()
    return _page(form, _held())


@bp.route("/issue", methods=["POST"])
@changes.declares(RaiseIssue)
def raise_issue() -> Any:
    _authz()
    form, result = RaiseIssueForm(), _held()
    if result is None:
        flash(_("No cross-check result is waiting: compare the lists again."), "danger")
        return redirect(url_for("crosscheck.page"))
    keys = picked_all(form, {"unit": "unit"}) if form.validate() else None
    if keys is None:
        auditing.refused()
        changes.flash_errors(form)
        flash(_("Give the unit, a title and the date."), "danger")
        return redirect(url_for("crosscheck.page"))
    chosen = []
    for pick in request.form.getlist("pick"):
        table, _sep, index = pick.partition(":")
        rows = result.get(table) if table in TABLES else None
        if rows is not None and index.isdigit() and int(index) < len(rows):
            chosen.append(xc.Finding(**rows[int(index)]))
    outcome = changes.run(RaiseIssue(unit_code=keys["unit"] or "", findings=tuple(chosen),
                                     title=form.title.data.strip(),
                                     found_on=form.found_on.data))
    if outcome.error is not None:
        flash(message(outcome.error), "danger")
        return redirect(url_for("crosscheck.page"))
    no = outcome.value["issue"]
    holding.drop(_folder(), session.pop("crosscheck_held", None))
    flash(_("Issue %(no)s was registered.", no=no), "success")
    return redirect(url_for("nodes.detail", label="Issue", key=no))
