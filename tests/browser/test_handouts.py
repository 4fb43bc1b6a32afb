"""The offline handouts (tools/handouts.py) render completely with every network request blocked."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import NOTEBOOKS, ROOT, WIDGET_MIME, require_lesson, saved_widget_cells

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def handouts() -> Path:
    """Build every handout once per session, exactly as `make handouts` does."""
    spec = importlib.util.spec_from_file_location("hamfoot_handouts", ROOT / "tools" / "handouts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([]) == 0
    return mod.OUT


PAGE_JS = """
() => ({
  title: document.title,
  h1: Array.from(document.querySelectorAll('h1')).map(h => h.innerText.replace(/¶$/, '').trim()),
  h2: Array.from(document.querySelectorAll('h2')).map(h => h.innerText.replace(/¶$/, '').trim()),
  imgs: Array.from(document.images).map(i => ({ok: i.complete && i.naturalWidth > 0,
            alt: (i.getAttribute('alt') || '').trim(), src: (i.getAttribute('src') || '').slice(0, 60)})),
  scripts: Array.from(document.scripts).map(s => s.src).filter(Boolean),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  notes: document.querySelectorAll('.hamfoot-widget-note').length,
  refs: (() => { const h = Array.from(document.querySelectorAll('h2'))
                   .find(h => /^References/.test(h.innerText.trim()));
                 if (!h) return null;
                 const cell = h.closest('.jp-Cell'); let n = cell && cell.nextElementSibling, text = '';
                 while (n && !n.querySelector('h2')) { text += n.innerText; n = n.nextElementSibling; }
                 return text.trim(); })(),
})
"""


def test_handout_renders_offline(lesson, handouts, browser):
    path = require_lesson(lesson)
    html = handouts / f"{path.stem}.html"
    assert html.exists(), f"{lesson}: tools/handouts.py wrote no {html.name}"
    page = browser.context.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    # Block everything except the page itself (file://) and inline data: URLs.
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    try:
        page.goto(html.as_uri(), wait_until="load")
        info = page.evaluate(PAGE_JS)
    finally:
        page.close()
    name = html.name
    assert not failed, f"{name}: failed requests {failed[:10]}"
    outside = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not outside, f"{name}: tried to load {outside[:10]}"
    assert not info["scripts"], f"{name}: loads scripts {info['scripts']}"
    assert info["title"].strip(), f"{name}: empty <title>"
    assert len(info["h1"]) == 1, f"{name}: expected one H1, found {info['h1']}"
    broken = [i["src"] for i in info["imgs"] if not i["ok"]]
    assert not broken, f"{name}: images did not load: {broken}"
    no_alt = [i["src"] for i in info["imgs"] if not i["alt"]]
    assert not no_alt, f"{name}: images without alt text: {no_alt}"
    assert info["refs"], f"{name}: no non-empty References section (h2s: {info['h2']})"
    ipynb_links = [h for h in info["links"] if h.split("#")[0].endswith(".ipynb")]
    assert not ipynb_links, f"{name}: links still point to notebooks: {ipynb_links}"
    widgets = sum(1 for i in saved_widget_cells(path))
    assert info["notes"] >= widgets, (
        f"{name}: {widgets} widget outputs in {lesson} but {info['notes']} 'Interactive widget' notes")
