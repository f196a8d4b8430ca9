"""The 监督模型 pages: the models and their figures (coordinators run them), the hits with
their triage, a hit's evidence (in the explorer, or as a GraphML / GEXF file), the data sets.

Each view checks its form and reads through one service with the signed-in user's permission
object, or changes through one command (`collab.commands.models`: a run, the triage decisions,
a data set's import and who may use it), run by the command runner with its audit record in
one transaction (`web.changes`). Anything out of reach answers 404.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.analysis import datasets, graphfile
from collab.analysis.models import MODELS, figures, hits
from collab.commands.base import Command
from collab.commands.models import (
    ConfirmHit,
    DismissHit,
    ImportDataSet,
    RunModels,
    SetDataSetAccess,
)
from collab.errors import NotFound
from collab.ledgers import datasets as lds
from collab.ledgers.report import LedgerRejected
from collab.web import auditing, changes, exports, when
from collab.web.errors import message
from collab.web.forms import (
    ConfirmHitForm,
    DataSetAccessForm,
    DataSetForm,
    DismissHitForm,
    RunModelsForm,
)
from collab.web.labels import lang
from collab.web.nodes import id_key, page_number
from collab.web.pickers import picked_all, picked_many
from collab.web.store import current_store

bp = Blueprint("models", __name__, url_prefix="/models")
PAGE = 50


def _authz(perm: Perm = Perm.VIEW_MODELS) -> Any:
    authz = current_user.authz
    authz.require(perm)
    return authz


def _made(form: Any, refusal: str, command: Callable[[], Command], done: str) -> Any:
    """A form's change: refused, and said why, when the form is not complete; else run as a
    command (with its audit record) and said how it went. Its answer, or None."""
    if not form.validate_on_submit():
        auditing.refused()
        flash(refusal, "danger")
        return None
    outcome = changes.run(command())
    return outcome.value if changes.shown(outcome, done) else None


@bp.route("/")
def index() -> Any:
    authz = _authz()
    rows, runs = current_store().read(lambda tx: (figures.per_model(tx, authz=authz),
                                                  hits.runs(tx, authz=authz)))
    form = RunModelsForm(formdata=None, as_of=when.today()) \
        if authz.can(Perm.RUN_MODELS) else None
    return render_template("models/index.html", rows=rows, runs=runs, form=form,
                           models=MODELS, lang=lang())


@bp.route("/run", methods=["POST"])
@changes.declares(RunModels)
def run() -> Any:
    """Run the models ticked on the page, with the settings typed beside each."""
    changes.allowed(RunModels)
    form = RunModelsForm()
    codes = [c for c in request.form.getlist("model") if c in MODELS]
    keys = picked_all(form, {"region": "region"}) if form.validate_on_submit() else None
    if keys is None or not codes:
        changes.flash_errors(form)
        auditing.refused()
        flash(_("Tick at least one model and give the date to judge by."), "danger")
        return redirect(url_for("models.index"))
    params = {c: {p.name: request.form.get(f"param-{c}-{p.name}", "")
                  for p in MODELS[c].params} for c in codes}
    outcome = changes.run(RunModels(codes=tuple(codes), region=keys["region"],
                                    as_of=form.as_of.data, params=params))
    if not changes.shown(outcome, ""):
        return redirect(url_for("models.index"))
    ran = [r for r in outcome.value if not r.skipped]
    flash(_("%(n)s models run: %(hits)s hits, %(new)s of them new.", n=len(ran),
            hits=sum(r.hits for r in ran), new=sum(r.new_hits for r in ran)), "success")
    for r in outcome.value:
        if r.skipped:
            flash(f"{MODELS[r.model].name(lang())}：{r.skipped}", "warning")
    return redirect(url_for("models.hit_list", model=codes[0] if len(codes) == 1 else None))


@bp.route("/hits")
def hit_list() -> Any:
    authz = _authz()
    model_code = request.args.get("model") or None
    status = request.args.get("status") or None
    number = page_number(request.args)
    rows, total = current_store().read(lambda tx: hits.listing(
        tx, authz=authz, model_code=model_code, status=status, offset=(number - 1) * PAGE,
        limit=PAGE))
    for row in rows:
        row["reason"] = MODELS[row["model"]].reason(row["facts"], lang())
        row["first_seen"] = _moment(row["first_seen"])
    return render_template("models/hits.html", rows=rows, total=total, number=number,
                           pages=max(1, -(-total // PAGE)), models=MODELS, lang=lang(),
                           states=tuple(hits.LIFECYCLE.names))


def _moment(raw: Any) -> datetime | None:
    """A stored moment as read back by either engine (ISO text or a datetime)."""
    return datetime.fromisoformat(raw) if isinstance(raw, str) else raw


@bp.route("/hits/<path:no>")
def hit(no: str) -> Any:
    auditing.about("ModelHit", no)  # named in its record even when refused
    authz = _authz()
    found = current_store().read(lambda tx: hits.detail(tx, authz=authz, no=no))
    model = MODELS[found.hit.get("model")]
    pending = found.hit.get("status") == "pending" and authz.can(Perm.TRIAGE)
    return render_template("models/hit.html", found=found, model=model, lang=lang(),
                           reason=model.reason(found.facts, lang()),
                           confirm=ConfirmHitForm(formdata=None, on=when.today())
                           if pending else None,
                           dismiss=DismissHitForm(formdata=None, on=when.today())
                           if pending else None,
                           formats=graphfile.FORMATS)


@bp.route("/hits/<path:no>/confirm", methods=["POST"])
@changes.declares(ConfirmHit)
def confirm(no: str) -> Any:
    """已核实: register the hit's clue, then go to its trace."""
    auditing.about("ModelHit", no)
    authz = changes.allowed(ConfirmHit)
    current_store().read(lambda tx: hits.get(tx, authz=authz, no=no))
    form = ConfirmHitForm()
    answer = _made(form, _("Give the date the hit was checked."), lambda: ConfirmHit(
        no=no, on=form.on.data, clue_no=form.clue_no.data, title=form.title.data),
        _("The hit was confirmed and registered as a clue."))
    if not answer:
        return redirect(url_for("models.hit", no=no))
    return redirect(url_for("clues.trace_page", no=answer["clue"]))


@bp.route("/hits/<path:no>/dismiss", methods=["POST"])
@changes.declares(DismissHit)
def dismiss(no: str) -> Any:
    """已排除, with the reason."""
    auditing.about("ModelHit", no)
    authz = changes.allowed(DismissHit)
    current_store().read(lambda tx: hits.get(tx, authz=authz, no=no))
    form = DismissHitForm()
    _made(form, _("Say why the hit is dismissed, and when."), lambda: DismissHit(
        no=no, reason=form.reason.data, on=form.on.data), _("The hit was dismissed."))
    return redirect(url_for("models.hit", no=no))


@bp.route("/hits/<path:no>/evidence.<any(graphml, gexf):fmt>")
def evidence_file(no: str, fmt: str) -> Any:
    """The hit's evidence for Gephi and similar tools, ID numbers masked."""
    auditing.name_event("model_hit.export", Kind.EXPORT)
    auditing.about("ModelHit", no)
    authz = _authz(Perm.EXPORT)
    view = current_store().read(lambda tx: hits.evidence_view(tx, authz=authz, no=no))
    return exports.graph_download(view.nodes, view.rels, fmt, "疑点证据", no)


# --- data sets --------------------------------------------------------------------------
@bp.route("/datasets", methods=["GET", "POST"])
@changes.declares(ImportDataSet)
def dataset_list() -> Any:
    """The data sets one may use; coordinators import new ones here."""
    authz = _authz()
    form = DataSetForm()
    lines: list[str] = []
    if request.method == "POST":
        changes.allowed(ImportDataSet)
        if form.validate_on_submit():
            lines, done = _import(authz, form)
            if done:  # a fresh form for the next list
                form = DataSetForm(formdata=None, roles=list(datasets.DEFAULT_ROLES))
        else:
            auditing.refused()
    elif not form.roles.data:
        form.roles.data = list(datasets.DEFAULT_ROLES)
    found = current_store().read(lambda tx: datasets.usable(tx, authz=authz))
    return render_template("models/datasets.html", datasets=found, form=form, lines=lines,
                           access=DataSetAccessForm(formdata=None),
                           manage=authz.can(Perm.MANAGE_DATASETS))


def _import(authz: Any, form: DataSetForm) -> tuple[list[str], bool]:
    """Import the uploaded list (deleted whatever happens); the report's lines, and whether
    it was imported."""
    auditing.name_event("dataset.import", Kind.IMPORT)
    folder = Path(current_app.instance_path) / "datasets" / secrets.token_hex(16)
    folder.mkdir(parents=True, mode=0o700)
    path = folder / ("list" + Path(form.file.data.filename or "").suffix.lower())
    try:
        form.file.data.save(path)
        data = lds.read_dataset(path, kind_code=form.kind.data,
                                name=Path(form.file.data.filename or path.name).name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    keys, regions = picked_all(form, {"region": "region"}), picked_many(form.regions, "region")
    if keys is None or regions is None:
        return [e for f in (form.region, form.regions) for e in f.errors], False
    info = lds.DataSetInfo(
        code=form.code.data.strip(), name=form.name.data.strip(), source=form.source.data,
        as_of=form.as_of.data, region_code=keys["region"] or "", roles=form.roles.data,
        regions=tuple(regions))
    outcome = changes.run(ImportDataSet(data=data, info=info, id_key=id_key()))
    if isinstance(outcome.error, LedgerRejected):
        return outcome.error.report.lines(lang()), False
    if outcome.error is not None:
        if isinstance(outcome.error, NotFound):
            raise outcome.error
        return [message(outcome.error)], False
    flash(_("Data set %(code)s was imported.", code=info.code), "success")
    return outcome.value.lines(lang()), True


@bp.route("/datasets/<path:code>/access", methods=["POST"])
@changes.declares(SetDataSetAccess)
def dataset_access(code: str) -> Any:
    """Change which roles and regions may use a data set."""
    auditing.about("DataSet", code)
    authz = changes.allowed(SetDataSetAccess)
    current_store().read(lambda tx: datasets.get(tx, authz=authz, code=code))
    form = DataSetAccessForm()
    regions = picked_many(form.regions, "region")
    if regions is None:
        changes.flash_errors(form)
        return redirect(url_for("models.dataset_list"))
    _made(form, _("Choose the roles that may use the data set."), lambda: SetDataSetAccess(
        code=code, roles=tuple(form.roles.data), regions=tuple(regions)),
        _("Who may use %(code)s was changed.", code=code))
    return redirect(url_for("models.dataset_list"))

