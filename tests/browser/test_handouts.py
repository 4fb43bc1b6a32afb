"""The offline handouts and slide decks (tools/handouts.py, `make handouts`) render completely with
every network request blocked: handouts straight from the file system, decks over http://127.0.0.1
(how an educator serves them in a lecture hall; fonts and scripts do not load from file://).

Two editions per lesson, HTML and PDF (A4 and Letter): every PDF has pages, none blank, and every
quiz question of its lesson; the student edition carries no answer, the educator edition all.
"""

from __future__ import annotations

import html as htmlmod
import importlib.util
import re

import pytest

from ._helpers import BUILD, ROOT, StaticServer, require_lesson, saved_widget_cells

EDITIONS = ("student", "educator")
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}

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
  notes: document.querySelectorAll('.hf-static-widget, .hf-quiz, .hf-case').length,
  text: document.body.innerText,
  refs: (() => { const h = Array.from(document.querySelectorAll('h2'))
                   .find(h => /^References/.test(h.innerText.trim()));
                 if (!h) return null;
                 const cell = h.closest('.jp-Cell'); let n = cell && cell.nextElementSibling, text = '';
                 while (n && !n.querySelector('h2')) { text += n.innerText; n = n.nextElementSibling; }
                 return text.trim(); })(),
})
"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_handout_renders_offline(lesson, edition, built, browser, quiz_bank):
    path = require_lesson(lesson)
    html = built.OUT / f"{path.stem}.{edition}.html"
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
        f"{name}: {widgets} widget outputs in {lesson} but {info['notes']} printed widgets"
    )
    assert "Interactive widget: run this lesson" not in info["text"]
    text = squash(info["text"])
    for q in questions_of(quiz_bank, path.stem[:2]):
        assert squash(q["prompt"]) in text, f"{name}: quiz question {q['id']} missing"
        shown = squash(q["explanation"]) in text
        assert shown == (edition == "educator"), (
            f"{name}: the explanation of {q['id']} is {'shown' if shown else 'missing'}"
        )
    notes = "Educator note." in info["text"]
    assert notes == (edition == "educator") or not has_educator_notes(path), (
        f"{name}: educator notes {'present' if notes else 'missing'}"
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", htmlmod.unescape(text)).strip()


def letters(text: str) -> str:
    import unicodedata

    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", text))


def questions_of(bank: list[dict], number: str) -> list[dict]:
    """The questions the lesson's quiz shows: its own, or (lesson 09) the whole course."""
    import nbformat

    path = next((ROOT / "notebooks").glob(f"{number}-*.ipynb"))
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    if re.search(r"\bquiz\(\)", src):
        return bank
    return [q for q in bank if str(q["lesson"]) == number]


def has_educator_notes(path) -> bool:
    return "**Educator note" in path.read_text(encoding="utf-8")


def test_student_edition_09_has_every_question_and_no_answer(built, quiz_bank):
    """The acceptance check of issue 13: lesson 09's student edition, every question, no answer."""
    page = next(built.OUT.glob("09-*.student.html"))
    text = squash(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    assert len(quiz_bank) > 20
    missing = [q["id"] for q in quiz_bank if squash(q["prompt"]) not in text]
    assert not missing, f"{page.name}: questions missing {missing}"
    answers = [q["id"] for q in quiz_bank if squash(q["explanation"]) in text]
    assert not answers, f"{page.name}: explanations (answers) shown for {answers}"
    assert 'class="hf-answer"' not in page.read_text(encoding="utf-8")
    assert "Answer: " not in text.replace("Answer: ____________", "")


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("paper", list(PAPER_POINTS))
def test_pdf_pages(lesson, edition, paper, built, quiz_bank):
    from pypdf import PdfReader

    path = require_lesson(lesson)
    pdf = built.OUT / f"{path.stem}.{edition}.{paper}.pdf"
    assert pdf.exists(), f"{lesson}: no {pdf.name}"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 1, f"{pdf.name}: no pages"
    width, height = PAPER_POINTS[paper]
    texts = []
    for n, page in enumerate(reader.pages, 1):
        box = page.mediabox
        assert abs(float(box.width) - width) < 2 and abs(float(box.height) - height) < 2, (
            f"{pdf.name} page {n}: {float(box.width):.0f}x{float(box.height):.0f} pt, not {paper}"
        )
        text = page.extract_text() or ""
        images = len(page.images) if hasattr(page, "images") else 0
        assert text.strip() or images, f"{pdf.name}: page {n} of {len(reader.pages)} is blank"
        texts.append(text)
    # PDF text breaks lines anywhere and uses ligatures (ﬀ): compare letters and digits only.
    whole = letters("".join(texts))
    for q in questions_of(quiz_bank, path.stem[:2]):
        want = letters(q["prompt"])[:80]
        assert want in whole, f"{pdf.name}: quiz question {q['id']} not found"


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
    notes: document.querySelectorAll('.hf-static-widget, .hf-quiz, .hf-case').length,
  text: document.body.innerText,
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
        f"{name}: {widgets} widget outputs in {lesson} but {info['notes']} printed widgets"
    )
