"""A page crawler for Chromium (Playwright): what a signed-in person meets on every page.

From the navigation bar (every menu item, open or not), the first rows of every list, the
pages a detail page leads to (trace, joint check) and the explorer (a search and an
expansion), it collects per page: answers of 500 and up, console errors, horizontal
overflow at the desktop and phone widths, and, in Chinese, visible text that is an internal
name rather than words for people (`leaks`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

WIDTHS = ((1440, 900), (390, 844))
# Latin words a Chinese page may show: the language switch, file formats people pick (GraphML
# and GEXF for Gephi among them; PDF and Office documents as evidence, in MB), brand names on the
# two-factor page, and the pinyin example in the explorer's search box.
ALLOWED_WORDS = frozenset({"English", "xlsx", "csv", "docx", "CSV", "GBK", "Excel", "GraphML",
                           "PDF", "Office", "MB",
                           "GEXF", "FreeOTP", "Google", "Microsoft", "Authenticator", "zhangsan",
                           "zs", "A", "B"})
_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/@:]*")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
_CAMEL = re.compile(r"^[a-z]+[A-Z][A-Za-z]*$")
_CAPS = re.compile(r"^[A-Z]{2,}(_[A-Z]+)*$")
_DOWNLOAD = re.compile(r"\.(xlsx|csv|docx|png|json)(\?|$)")
# Text a page shows beyond innerText: menu items (closed dropdowns), placeholders, titles.
_SHOWN_JS = """() => {
  const parts = [document.body.innerText];
  document.querySelectorAll('#navbar a, #navbar button').forEach(e => parts.push(e.textContent));
  document.querySelectorAll('[placeholder],[title],[aria-label],img[alt]').forEach(e =>
    ['placeholder', 'title', 'aria-label', 'alt'].forEach(a => e.hasAttribute(a) &&
      parts.push(e.getAttribute(a))));
  return parts.join('\\n');
}"""


def leaks(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words in `text` that are internal names: snake_case, camelCase, ALL_CAPS,
    True/False/None, or any other Latin word outside the allow-list. Codes people know (clue
    numbers, letter numbers, region and department codes, masked ID numbers) carry digits and
    pass."""
    ok = ALLOWED_WORDS | set(allowed)
    found = []
    for token in _TOKEN.findall(text):
        token = token.strip(".-/:@")
        if not token or token in ok or any(c.isdigit() for c in token):
            continue
        for word in re.split(r"[.\-/@:]+", token):
            if word and word not in ok and (
                    "_" in word or _SNAKE.match(word) or _CAMEL.match(word) or
                    _CAPS.match(word) or word in ("True", "False", "None") or word.isalpha()):
                found.append(token)
                break
    return sorted(set(found))


@dataclass
class Findings:
    """What one crawl found, by page."""

    errors: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def add(self, page: str, what: str) -> None:
        self.errors.append(f"{page}: {what}")


def explorer_texts(payload: Any) -> list[str]:
    """The texts the explorer draws from one of its JSON answers (edge labels, kinds, facts,
    hints, paths): they reach the canvas, not the DOM, so they are checked here."""
    out: list[str] = []
    for node in [*payload.get("nodes", []), *payload.get("hits", [])]:
        out.append(str(node.get("kind", "")))
        out += [f"{f[1]} {f[2]}" for f in node.get("facts", []) if len(f) == 3]
    out += [str(e.get("label", "")) for e in payload.get("edges", [])]
    out += [str(p.get("text", "")) for p in payload.get("paths", [])]
    out.append(str(payload.get("hint", "")))
    return out


def kind_of(path: str) -> str:
    """Pages drawn by the same view with different objects: /browse/Clue/X-1 → /browse/*/*."""
    bare = path.split("?", 1)[0]
    return re.sub(r"^/(browse|clues|checks)/(?!new$)[^/]+(/.+)?$",
                  lambda m: f"/{m.group(1)}/*" + ("/*" if m.group(2) else ""), bare)


class Crawler:
    """Crawls one signed-in browser tab; `lang` is the page language being checked."""

    def __init__(self, tab: Any, base: str, allowed: Iterable[str] = ()):
        self.tab, self.base, self.allowed = tab, base, set(allowed)
        self.found = Findings()
        self.console: list[str] = []
        self.server_errors: list[str] = []
        self.explorer: list[str] = []
        tab.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: self.console.append(str(e)))
        tab.on("response", self._response)

    def _response(self, response: Any) -> None:
        document = response.request.resource_type == "document"
        if response.status >= 500 or (response.status >= 400 and not document):
            self.server_errors.append(f"{response.status} {response.url}")
        elif "/explore/api/" in response.url and response.ok:
            try:
                self.explorer += explorer_texts(json.loads(response.text()))
            except Exception:  # noqa: BLE001 - a body already gone is no finding
                pass

    def _local(self, href: str | None) -> str | None:
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            return None
        parts = urlsplit(href)
        if parts.netloc and self.base.split("//", 1)[1] != parts.netloc:
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return None if _DOWNLOAD.search(parts.path) or path.startswith("/static/") else path

    def links(self, selector: str) -> list[str]:
        hrefs = self.tab.eval_on_selector_all(
            selector, "els => els.map(e => e.getAttribute('href'))")
        return [p for p in (self._local(h) for h in hrefs) if p]

    def visit(self, path: str, lang: str) -> None:
        """Open one page and check it at both widths."""
        self.console.clear()
        self.server_errors.clear()
        self.tab.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
        response = self.tab.goto(self.base + path, wait_until="domcontentloaded")
        if self.tab.locator(".chart").count():  # charts draw after their data arrives
            self.tab.wait_for_selector("body[data-charts-ready=yes]")
        self.found.visited.append(path)
        if response is not None and response.status >= 500:
            self.found.add(path, f"answered {response.status}")
        self.check(path, lang)

    def check(self, path: str, lang: str) -> None:
        """Check the page as it stands: server errors, console, overflow, leaks."""
        for width, height in WIDTHS:
            self.tab.set_viewport_size({"width": width, "height": height})
            self.tab.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            over = self.tab.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if over > 1:
                self.found.add(path, f"overflows by {over}px at {width}px")
        self.tab.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
        for error in self.server_errors:
            self.found.add(path, f"answered {error}")
        for message in self.console:
            self.found.add(path, f"console: {message}")
        if lang == "zh":
            shown = self.tab.evaluate(_SHOWN_JS) + "\n" + "\n".join(self.explorer)
            self.explorer.clear()
            for word in leaks(shown, self.allowed):
                self.found.add(path, f"internal name shown: {word!r}")
        self.console.clear()
        self.server_errors.clear()

    def crawl(self, lang: str, once_per_kind: bool = False) -> Findings:
        """Every page of the navigation, the first rows of their lists and what those lead to;
        with `once_per_kind`, one page of each kind (one list, one detail page …), for a second
        language whose words the first pass has checked already."""
        self.tab.goto(self.base + "/")
        self.bar_fits(lang)
        menu = self.links("#navbar a[href]")
        seen: set[str] = set()
        queue = list(dict.fromkeys(menu))
        depth = {p: 0 for p in queue}
        while queue:
            path = queue.pop(0)
            if path in seen or (once_per_kind and kind_of(path) in {kind_of(s) for s in seen}):
                continue
            seen.add(path)
            self.visit(path, lang)
            if depth[path] >= 2:
                continue
            onward = self.links("main table tbody tr:first-child a[href]") + self.links(
                "main #trace-link, main #check-link, main .list-group a[href], "
                "main #region-tree > ul > li > a")
            for nxt in onward:
                if nxt not in seen and nxt not in depth:
                    depth[nxt] = depth[path] + 1
                    queue.append(nxt)
            if path.startswith("/explore/"):
                self.explore(path, lang)
        return self.found

    def bar_fits(self, lang: str) -> None:
        """The navigation bar keeps to one line, no title broken, from 1280 to 1920 px."""
        for width in (1280, 1920):
            self.tab.set_viewport_size({"width": width, "height": 900})
            rows = self.tab.evaluate("""() => {
              const items = Array.from(document.querySelectorAll(
                '#navbar .navbar-brand, #navbar .nav-link, #navbar .btn'));
              const boxes = items.map(e => e.getBoundingClientRect());
              const span = Math.max(...boxes.map(b => b.bottom)) -
                Math.min(...boxes.map(b => b.top));
              const broken = items.filter(e => e.getClientRects().length > 1 ||
                e.getBoundingClientRect().height > 48).map(e => e.textContent.trim());
              return {span: Math.round(span), broken: broken};
            }""")
            if rows["span"] > 64 or rows["broken"]:
                self.found.add(f"navigation bar ({lang})", f"wraps at {width}px: "
                               f"{rows['broken'] or str(rows['span']) + 'px tall'}")
        self.tab.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})

    def explore(self, path: str, lang: str) -> None:
        """In the explorer: search, expand the first hit, ask how it is connected to a unit,
        and check what it drew."""
        self.tab.fill("#q", "张")
        self.tab.click("#search-button")
        self.tab.wait_for_selector("#hits li, #error:not(.d-none)")
        if self.tab.locator("#hits li").count():
            first = self.tab.inner_text("#hits li >> nth=0").split(" · ")[0]
            self.tab.click("#hits li >> nth=0")
            self.tab.wait_for_selector("#legend li")
            self.tab.fill("#path-a", first)
            self.tab.fill("#path-b", "委员会")
            self.tab.click("#path-button")
            self.tab.wait_for_selector("#path-list li, #hint:not(.d-none), #error:not(.d-none)")
        self.tab.wait_for_load_state("networkidle")
        self.check(path + " (search, expansion and path)", lang)
