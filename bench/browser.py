"""The explorer with 1,000 nodes in a real browser: time to the first stable frame.

    python -m bench.browser [--engine sqlite|neo4j] [--scale province] [--runs 5]

The app serves the kept graph on 127.0.0.1; Debian's chromium (Playwright) signs in, opens the
explorer with depth 3 and the largest cap (1,000 nodes), finds a village unit by its uid and
clicks it. Timed in the page's own clock, from the click: the expansion's answer (the server
lays the graph out and sends positions) and the first frame drawn after the nodes are added
(two animation frames after the legend appears; the page runs no physics, so that frame is the
stable one). Then, with the nodes on screen, the frame interval while zooming with the wheel
(p95 over about a second) says whether the view stays responsive.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import threading
from pathlib import Path
from typing import Any

from bench import graphs, latency
from bench.common import RESULTS, machine, report
from bench.load import PASSWORD, accounts
from collab.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CAP = 1000

_CLICK = """uid => {
  const hit = document.querySelector(`#hits li[data-uid="${uid}"]`);
  window.benchT0 = performance.now();
  hit.click();
}"""
_FRAME = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - window.benchT0;
}"""
_ZOOM_FRAMES = """async () => {
  const stamps = [];
  const until = performance.now() + 1200;
  await new Promise(done => {
    function tick(t) {
      stamps.push(t);
      if (t < until) { requestAnimationFrame(tick); } else { done(); }
    }
    requestAnimationFrame(tick);
  });
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  return gaps[Math.max(0, Math.floor(gaps.length * 0.95) - 1)];
}"""


def one(page: Any, url: str, uid: str) -> dict[str, float]:
    """Open the explorer, expand `uid` with depth 3 and the cap at 1,000, time it."""
    page.goto(url + "/explore/")
    # the filters sit in a folded panel: set them the way its controls would
    page.eval_on_selector("#depth", "el => { el.value = '3'; }")
    page.eval_on_selector("#cap", f"el => {{ el.value = '{CAP}'; }}")
    page.fill("#q", uid)
    page.locator("#search-form button[type=submit]").click()
    page.wait_for_selector(f'#hits li[data-uid="{uid}"]')
    with page.expect_response(lambda r: "/api/expand" in r.url) as answer:
        page.evaluate(_CLICK, uid)
    response = answer.value
    answered = page.evaluate("() => performance.now() - window.benchT0")
    nodes = len(response.json()["nodes"])
    page.wait_for_function("document.querySelectorAll('#legend li').length > 0")
    frame = page.evaluate(_FRAME)
    box = page.locator("#graph canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    zoom = page.evaluate_handle(_ZOOM_FRAMES)
    for _ in range(10):
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(80)
    return {"nodes": nodes, "answer_ms": round(answered, 1), "first_frame_ms": round(frame, 1),
            "zoom_frame_p95_ms": round(zoom.json_value(), 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.browser",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "neo4j"), default="sqlite")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    with graphs.graph(args.engine, args.scale) as (store, _):
        name = accounts(store, 1)[0]
        starts = latency.starts(store, 2 * args.runs)["expand"][::2]
        server = make_server("127.0.0.1", 0, create_app({
            "COLLAB_STORE": store, "SECRET_KEY": "bench-browser"}), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        rows = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                page = browser.new_context(locale="zh-CN",
                                           viewport={"width": 1366, "height": 900}).new_page()
                page.goto(url + "/login")
                page.fill("input[name=name]", name)
                page.fill("input[name=password]", PASSWORD)
                page.locator("form button[type=submit]").first.click()
                page.wait_for_load_state()
                for uid in starts[:args.runs]:
                    rows.append({"start": uid, **one(page, url, uid)})
                browser.close()
        finally:
            server.shutdown()
    summary = {k: round(statistics.median(r[k] for r in rows), 1)
               for k in ("nodes", "answer_ms", "first_frame_ms", "zoom_frame_p95_ms")}
    report(f"explorer, {CAP}-node cap, in chromium ({args.engine}, {args.scale}; "
           f"median of {len(rows)})", [*rows, {"start": "median", **summary}])
    kept = {"engine": args.engine, "scale": args.scale, "date": machine()["date"],
            "rows": rows, "median": summary}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"browser-{args.engine}-{args.scale}.json").write_text(
        json.dumps(kept, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
