"""Write collab/cases/common-passwords.txt: the 10,000 most common passwords, lower-cased.

Source: the "passwords" frequency list of zxcvbn (PyPI `zxcvbn`, MIT licence, drawn from
leaked-password corpora), plus passwords common in China that it lacks. Run by hand when the
list should be refreshed: pip install zxcvbn && python scripts/common-passwords.py
"""

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

TOP = 10_000
CHINA = """woaini woaini1314 woaini520 5201314 1314520 aini1314 iloveyou1314 qq123456
wang123456 zhang123 li123456 a123456789 aa123456 abc123456 123456abc 147258369 159357
123qwe 1qaz2wsx 1qaz@wsx qwe123 admin123 admin@123 admin@1234 admin888 root123 test123
password@123 p@ssw0rd p@ssword passw0rd 88888888 66666666 11111111 00000000""".split()
OUT = Path(__file__).resolve().parents[1] / "collab" / "cases" / "common-passwords.txt"

words = list(dict.fromkeys(w.lower() for w in
                           FREQUENCY_LISTS["passwords"][:TOP] + CHINA))
OUT.write_text("# The most common passwords, one a line (scripts/common-passwords.py).\n"
               "# From zxcvbn's frequency list (MIT licence, (c) Dropbox, Inc.) and common\n"
               "# Chinese passwords.\n" + "\n".join(words) + "\n", encoding="utf-8")
print(f"{len(words)} passwords written to {OUT}")
