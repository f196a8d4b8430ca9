"""Every blueprint of the site, registered in one place (one blueprint per area)."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Attach the areas of the site; a new area adds one line here."""
    from collab.web import (
        admin,
        auditlog,
        auth,
        cases,
        checks,
        clues,
        crosscheck,
        dashboard,
        departments,
        explorer,
        exports,
        figures,
        health,
        imports,
        inbox,
        issues,
        letters,
        manual,
        models,
        nodes,
        pickers,
        rectification,
        search,
        tokens,
        twofactor,
        units,
    )

    for area in (auth, dashboard, nodes, clues, checks, rectification, letters, imports,
                 exports, admin, auditlog, explorer, crosscheck, models, departments, units,
                 twofactor, tokens, health, manual, pickers,
                 inbox, issues, cases, figures, search):
        app.register_blueprint(area.bp)
