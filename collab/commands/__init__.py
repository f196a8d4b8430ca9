"""The command layer: every change to the graph, as a declared command run by one runner.

Web views, API operations and command-line commands build a command (`collab.commands.*`)
and hand it to `runner.run`; nothing else writes, apart from sign-in, session and token-issue
bookkeeping (`collab.access.users`: authenticate, console_authz, issue_token, which write their
own audit records; `collab.access.sessions.touch`), the readiness probe's own row
(`Store.check_ready`) and the web's per-request view record (`collab.web.auditing`). Importing this
package registers every command in `base.REGISTRY`.
"""

from collab.commands import (  # noqa: F401 - each module registers its commands
    checks,
    clues,
    crosscheck,
    departments,
    imports,
    issues,
    letters,
    maintenance,
    models,
    rectification,
    support,
    tokens,
    twofactor,
    users,
)
