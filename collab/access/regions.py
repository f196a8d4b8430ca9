"""Region codes and their subtrees.

County-and-above codes are GB/T 2260 (6 digits: 53 province, 5326 prefecture, 532628 county);
townships and villages carry 9- and 12-digit statistical codes that extend their county's. So
every region below a region has a code that starts with the region's *subtree prefix*, and
"a region with everything below it" is one prefix match on `region_code`.
"""

from __future__ import annotations

import re

from collab.errors import N_, ValidationError

_CODE = re.compile(r"\d{6}|\d{9}|\d{12}")


def check_code(code: str) -> str:
    """`code` if it is a 6, 9 or 12-digit region code, else a ValidationError."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise ValidationError(N_("not a region code (6, 9 or 12 digits): %(code)r"), code=code)
    return code


def subtree_prefix(code: str) -> str:
    """The prefix shared by `code` and every region code below it."""
    check_code(code)
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    if len(code) == 12 and code.endswith("000"):
        return code[:9]
    return code


def within(code: str | None, region: str) -> bool:
    """Whether `code` is `region` or lies below it."""
    return bool(code) and str(code).startswith(subtree_prefix(region))
