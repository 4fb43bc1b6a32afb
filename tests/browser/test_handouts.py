"""The offline handouts and slide decks (tools/handouts.py, `make handouts`) render completely with
every network request blocked: handouts straight from the file system, decks over http://127.0.0.1
(how an educator serves them in a lecture hall; fonts and scripts do not load from file://)."""

from __future__ import annotations

import importlib.util

import pytest

from ._helpers import BUILD, ROOT, StaticServer, require_lesson, saved_widget_cells

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def built() -> object:
    """Build every handout and deck once per session, exactly as `make handouts` does."""
    spec = importlib.util.spec_from_file_location(
        "hamfoot_handouts", ROOT / "tools" / "handouts.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([]) == 0, "tools/handouts.py failed (see its output above)"
    return mod


@pytest.fixture(scope="session")
def build_server(built):
    """build/ over http://127.0.0.1:<port>, from a thread of this process."""
    server = StaticServer.start(BUILD)
    yield server
    server.stop()


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


def test_handout_renders_offline(lesson, built, browser):
    path = require_lesson(lesson)
    html = built.OUT / f"{path.stem}.html"
    assert html.exists(), f"{lesson}: tools/handouts.py wrote no {html.name}"
    page = browser.context.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    # Block everything except the page itself (file://) and inline data: URLs.
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
    )
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
    widgets = len(saved_widget_cells(path))
    assert info["notes"] >= widgets, (
        f"{name}: {widgets} widget outputs in {lesson} but {info['notes']} 'Interactive widget' notes"
    )


# reveal.js is an AMD module here (require.js is on the page), so ask require.js for it. The deck
# is ready when reveal has initialised, MathJax has typeset (so its files have loaded) and the
# theme's fonts have loaded.
DECK_READY_JS = """
async () => {
  const Reveal = await new Promise((ok, bad) => require(['node_modules/reveal.js/dist/reveal.js'], ok, bad));
  for (let i = 0; i < 400 && !Reveal.isReady(); i++) await new Promise(r => setTimeout(r, 25));
  if (window.MathJax && MathJax.Hub) await new Promise(r => MathJax.Hub.Queue(r));  // its files loaded
  await document.fonts.ready;
  const first = Reveal.getIndices();
  Reveal.next();
  const moved = JSON.stringify(Reveal.getIndices()) !== JSON.stringify(first);
  Reveal.slide(0, 0, 0);
  return {
    ready: Reveal.isReady(), slides: Reveal.getTotalSlides(), moved,
    theme: (document.getElementById('theme') || {}).href || '',
    mathjax: !!(window.MathJax && window.MathJax.Hub),
    fonts: Array.from(document.fonts).filter(f => f.status === 'error').map(f => f.family),
    h1: Array.from(document.querySelectorAll('.reveal .slides h1')).map(h => h.innerText.replace(/¶$/, '').trim()),
    imgs: Array.from(document.querySelectorAll('.reveal img')).map(i => ({ok: i.complete && i.naturalWidth > 0,
            alt: (i.getAttribute('alt') || '').trim(), src: (i.getAttribute('src') || '').slice(0, 60)})),
    notes: document.querySelectorAll('.hamfoot-widget-note').length,
    speaker_notes: document.querySelectorAll('.reveal aside.notes').length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  };
}
"""


def test_deck_renders_offline(lesson, built, build_server, browser):
    path = require_lesson(lesson)
    if built.npm_missing():
        pytest.fail(f"{lesson}: no deck, {built.npm_missing()}")
    deck = built.DECKS / f"{path.stem}.slides.html"
    name = deck.name
    assert deck.exists(), f"{lesson}: tools/handouts.py wrote no {name}"
    page = browser.context.new_page()
    requests, failed, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url} (HTTP {r.status})"))
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith((build_server.url + "/", "data:"))
            else r.abort()
        ),
    )
    try:
        page.goto(f"{build_server.url}/{deck.relative_to(BUILD).as_posix()}", wait_until="load")
        try:
            info = page.evaluate(DECK_READY_JS)
        except Exception as e:  # noqa: BLE001 - name what the deck could not load
            pytest.fail(
                f"{name}: reveal.js did not start ({str(e).splitlines()[0]}); failed requests "
                f"{failed[:5]}; script errors {errors[:3]}"
            )
    finally:
        page.close()
    outside = [u for u in requests if not u.startswith((build_server.url + "/", "data:"))]
    assert not outside, f"{name}: tried to load {outside[:10]}"
    assert not failed, f"{name}: failed requests {failed[:10]}"
    assert not errors, f"{name}: script errors {errors[:5]}"
    assert info["ready"], f"{name}: reveal.js did not initialise (Reveal.isReady() is false)"
    assert info["slides"] >= 3, f"{name}: only {info['slides']} slides"
    assert info["moved"], f"{name}: Reveal.next() did not leave the first slide"
    assert info["theme"].endswith("/theme/white.css"), (
        f"{name}: theme {info['theme']!r}, not the offline 'white'"
    )
    assert info["mathjax"], f"{name}: MathJax did not load (reveal's slide-change handler needs it)"
    assert not info["fonts"], f"{name}: fonts failed to load: {info['fonts']}"
    assert len(info["h1"]) == 1, f"{name}: expected one H1 (the title slide), found {info['h1']}"
    broken = [i["src"] for i in info["imgs"] if not i["ok"]]
    assert not broken, f"{name}: images did not load: {broken}"
    no_alt = [i["src"] for i in info["imgs"] if not i["alt"]]
    assert not no_alt, f"{name}: images without alt text: {no_alt}"
    ipynb_links = [h for h in info["links"] if h.split("#")[0].endswith(".ipynb")]
    assert not ipynb_links, f"{name}: links still point to notebooks: {ipynb_links}"
    widgets = len(saved_widget_cells(path))
    assert info["notes"] >= widgets, (
        f"{name}: {widgets} widget outputs in {lesson} but {info['notes']} 'Interactive widget' notes"
    )
