"""Build offline handouts and slide decks of every lesson into build/ (``make handouts``).

Why: a room without a server (or without internet) still gets the whole lesson on paper or on
screen: its text, tables, figures with alt text and their "In words:" summary, and references.
Live widgets cannot run in a static page, so each widget output becomes what it shows in its
default (typical) setting, drawn here by running the lesson's cells in this process; the quiz
becomes numbered questions with lettered options and each case its steps (tools/printed.py).

Two editions per lesson (build/handouts/):
- <lesson>.student.html / .pdf: the questions without answers, no educator notes.
- <lesson>.educator.html / .pdf: answers with explanations and references, the case feedback and
  outcomes, the educator notes, and timings (lesson length from data/toc.yaml and the session
  plans in EDUCATORS.md).
PDFs come from Debian's Chromium (print to PDF through Playwright, never a downloaded browser), in
A4 (<lesson>.<edition>.a4.pdf) and US Letter (.letter.pdf), with every non-local request blocked.

build/decks/<lesson>.slides.html: a reveal.js deck (theme `white`, no web fonts), code hidden,
from the cells' slideshow metadata, student edition content. reveal.js and friends come from the
npm registry at the versions pinned in tools/decks/package-lock.json (`npm ci`, once); serve the
folder over http to present: `python -m http.server -d build/decks`. Without node/npm the decks
are skipped with a message and the handouts are still built.

Built from the committed notebooks; their stored outputs are used for everything but widgets.
Usage: python tools/handouts.py [--no-pdf] [NOTEBOOK ...]   (default: every notebooks/*.ipynb)
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import Preprocessor
from traitlets import Unicode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import printed  # noqa: E402 - tools/ is not a package
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "build" / "handouts"
DECKS = ROOT / "build" / "decks"
NPM_PROJECT = Path(__file__).resolve().parent / "decks"  # package.json + package-lock.json
TEMPLATES = Path(__file__).resolve().parent / "handout_templates"
WIDGET_MIME = printed.WIDGET_MIME
EDITIONS = ("student", "educator")
PAPERS = {"a4": "A4", "letter": "Letter"}
PRINT_CSS = """
.hf-edition{border:2px solid #0072B2;padding:.4em .8em;margin:0 0 1em}
.hf-questions>li,.hf-steps>li{margin:0 0 .9em;break-inside:avoid}
.hf-options{margin:.2em 0 .3em 1.5em}
.hf-answer{border-left:4px solid #009E73;padding:.2em .7em;margin:.3em 0;background:#f4fbf8}
.hf-correct{font-weight:bold}
.hf-correct::after{content:" (best choice)"}
.hf-feedback{font-weight:normal;margin:.1em 0 .3em}
blockquote{border-left:4px solid #E69F00;padding:.2em .7em;margin:.5em 0;background:#fff8e8}
.hf-timings td,.hf-timings th{padding:.15em .6em;text-align:left}
.hf-static-widget{border:1px dashed #777;padding:.5em .8em;margin:.4em 0}
img{max-width:100%;height:auto}
@media print{html,body{margin:0;padding:0;height:auto}main,.jp-Notebook{padding:0!important;margin:0!important;min-height:0!important}.jp-Cell{break-inside:auto}.jp-Cell:last-child,.jp-Cell:last-child *{margin-bottom:0!important;padding-bottom:0!important}figure,table,img{break-inside:avoid}a{color:#000}}
"""
LESSON_LINK = re.compile(r"\]\((\d\d-[\w-]+)\.ipynb(#[^)\s]*)?\)")
LESSON_HREF = re.compile(r'href="(\d\d-[\w-]+)\.ipynb(#[^"]*)?"')

# Where a deck finds its scripts: relative to the deck, inside build/decks/node_modules.
# MathJax.js, not latest.js: latest.js goes to a CDN looking for a newer MathJax.
ASSETS = "node_modules"
DECK_URLS = {
    "reveal_url_prefix": f"{ASSETS}/reveal.js",
    "require_js_url": f"{ASSETS}/requirejs/require.js",
    "jquery_url": f"{ASSETS}/jquery/dist/jquery.min.js",
    "font_awesome_url": f"{ASSETS}/font-awesome/css/font-awesome.css",
    "mathjax_url": f"{ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}
DECK_THEME = "white"  # reveal's default for nbconvert ("simple") imports Google Fonts
DECK_FILES = [
    f"{ASSETS}/reveal.js/dist/reveal.js",
    f"{ASSETS}/reveal.js/dist/reveal.css",
    f"{ASSETS}/reveal.js/dist/theme/{DECK_THEME}.css",
    f"{ASSETS}/reveal.js/plugin/notes/notes.js",
    f"{ASSETS}/requirejs/require.js",
    f"{ASSETS}/jquery/dist/jquery.min.js",
    f"{ASSETS}/font-awesome/css/font-awesome.css",
    f"{ASSETS}/mathjax/MathJax.js",
]


class DeckAssetsError(RuntimeError):
    """The pinned deck assets could not be installed from the npm registry."""


def relink(text: str, suffix: str = ".html") -> str:
    """Links between lessons point at the sibling handout pages (or decks) instead of the notebooks."""
    text = LESSON_LINK.sub(lambda m: f"]({m.group(1)}{suffix}{m.group(2) or ''})", text)
    return LESSON_HREF.sub(lambda m: f'href="{m.group(1)}{suffix}{m.group(2) or ""}"', text)


def is_educator_note(cell) -> bool:
    """Educator notes: the cells presented as speaker notes (slide type "notes")."""
    kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
    return kind == "notes" or cell.source.lstrip().startswith("**Educator note")


class StaticHandout(Preprocessor):
    """Widget outputs -> their printed form (precomputed per cell index in `printed_widgets`);
    educator notes kept (educator) or dropped (student); links -> the sibling pages."""

    lesson_suffix = Unicode(".html", help="file suffix of the sibling pages lesson links point at")

    def preprocess(self, nb, resources):
        self.widgets = resources.get("printed_widgets", {})
        self.educator = resources.get("edition") == "educator"
        keep = []
        for index, cell in enumerate(nb.cells):
            if is_educator_note(cell):
                if not self.educator:
                    continue
                cell.source = "\n".join("> " + line for line in cell.source.splitlines())
            cell, resources = self.preprocess_cell(cell, resources, index)
            keep.append(cell)
        nb.cells = keep
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, self.lesson_suffix)
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                shown = self.widgets.get(index)
                if shown is None:
                    continue
                outputs.append(
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"text/html": shown, "text/plain": "(printed widget)"},
                    }
                )
                continue
            for mime in ("text/markdown", "text/html"):
                if mime in data:
                    data[mime] = relink("".join(data[mime]), self.lesson_suffix)
            outputs.append(out)
        if cell.cell_type == "code":
            cell.outputs = outputs
        return cell, resources


def printed_widgets(nb, edition: str) -> dict[int, str]:
    """Cell index -> the printed form of the widget that cell displays (drawn in this process)."""
    runner = printed.Runner()
    shown: dict[int, str] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        try:
            value = runner.run(cell.source)
        except Exception as e:  # noqa: BLE001 - name the lesson cell that could not be drawn
            raise RuntimeError(f"cell {index} could not run for the handout: {e!r}") from e
        has_widget = any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", []))
        if has_widget and value is not None and hasattr(value, "children"):
            shown[index] = printed.widget_html(value, edition == "educator")
    return shown


def timings_html(lesson_number: str) -> str:
    """Educator edition: the lesson's length and its rows in the session plans of EDUCATORS.md."""
    import yaml

    toc = yaml.safe_load((ROOT / "data" / "toc.yaml").read_text(encoding="utf-8"))
    minutes = next((e.get("minutes") for e in toc if str(e["number"]) == lesson_number), None)
    rows = [r for r in session_plans() if r["lesson"] == lesson_number]
    parts = [
        '<div class="hf-edition"><p><strong>Educator edition.</strong> Answers, case feedback, '
        "educator notes and timings are included; hand out the student edition to the class.</p>"
    ]
    if minutes:
        parts.append(f"<p><strong>Self-study time:</strong> about {minutes} minutes.</p>")
    if rows:
        parts.append(
            '<table class="hf-timings"><tr><th>Session plan</th><th>Minutes</th>'
            "<th>Show</th><th>Poll or play</th></tr>"
        )
        for r in rows:
            parts.append(
                f"<tr><td>{printed.esc(r['plan'])}</td><td>{r['minutes']}</td>"
                f"<td>{printed.esc(r['show'])}</td><td>{printed.esc(r['poll'])}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)


STUDENT_BANNER = (
    '<div class="hf-edition"><p><strong>Student edition.</strong> The questions are '
    "printed without answers; check them in the lesson's quiz.</p></div>"
)


def session_plans(path: Path | None = None) -> list[dict]:
    """Rows of the session-plan tables in EDUCATORS.md (`### A 1-hour session` …)."""
    text = (path or ROOT / "EDUCATORS.md").read_text(encoding="utf-8")
    rows, plan = [], None
    for line in text.splitlines():
        m = re.match(r"^### (A .*session)\s*$", line)
        if m:
            plan = m.group(1)
            continue
        if line.startswith("## "):
            plan = None
        if plan and line.startswith("|") and not set(line) <= set("|- "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0].lower() == "minutes" or len(cells) < 4:
                continue
            total = cells[0].startswith("**")
            rows.append(
                {
                    "plan": plan,
                    "minutes": int(cells[0].strip("*")),
                    "lesson": cells[1],
                    "show": cells[2].strip("*"),
                    "poll": cells[3],
                    "total": total,
                }
            )
    return rows


def lesson_title(nb) -> str | None:
    """The lesson's H1 (`# 03 · …`), used as the page title."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return None


def exporter() -> HTMLExporter:
    exp = HTMLExporter(
        template_name="handout",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,  # paper shows what the lesson shows, not its code
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        require_js_url="",
        mathjax_url="",
        embed_images=True,
    )
    exp.register_preprocessor(StaticHandout(), enabled=True)
    return exp


def deck_exporter() -> SlidesExporter:
    exp = SlidesExporter(
        template_name="deck",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        reveal_theme=DECK_THEME,
        reveal_scroll=True,
        **DECK_URLS,
    )
    exp.register_preprocessor(StaticHandout(lesson_suffix=".slides.html"), enabled=True)
    return exp


def _static_notebook(path: Path, edition: str):
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # no widget state: the page would load the widget manager
    title = lesson_title(nb)
    if title:
        nb.metadata["title"] = f"{title} ({edition} edition)"
    banner = timings_html(path.stem[:2]) if edition == "educator" else STUDENT_BANNER
    # After the title cell, so the page keeps one H1 first.
    nb.cells.insert(
        1, nbformat.v4.new_markdown_cell(banner, metadata={"slideshow": {"slide_type": "-"}})
    )
    return nb


def _export(path: Path, exp, folder: Path, suffix: str, edition: str, shown: dict) -> Path:
    nb = _static_notebook(path, edition)
    # The banner cell shifted every later cell by one.
    shifted = {i + 1 if i >= 1 else i: html for i, html in shown.items()}
    body, _ = exp.from_notebook_node(
        nb,
        resources={
            "metadata": {"name": path.stem},
            "edition": edition,
            "printed_widgets": shifted,
            "hamfoot_css": PRINT_CSS,
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{path.stem}{suffix}"
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(target)  # atomic: a half-written page never replaces a good one
    return target


def build(path: Path, edition: str = "student", exp: HTMLExporter | None = None) -> Path:
    nb = nbformat.read(path, as_version=4)
    shown = printed_widgets(nb, edition)
    return _export(path, exp or exporter(), OUT, f".{edition}.html", edition, shown)


def build_deck(path: Path, exp: SlidesExporter | None = None) -> Path:
    nb = nbformat.read(path, as_version=4)
    shown = printed_widgets(nb, "student")
    return _export(path, exp or deck_exporter(), DECKS, ".slides.html", "student", shown)


def print_pdfs(pages: list[Path]) -> list[Path]:
    """Each HTML page -> PDF in A4 and Letter through Debian's Chromium, network blocked.

    Runs in a thread of its own: Playwright's sync API refuses a thread whose event loop is
    already running (a test session that holds a browser open, a notebook kernel)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(_print_pdfs, pages).result()


def _print_pdfs(pages: list[Path]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort()
                ),
            )
            for html in pages:
                page.goto(html.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                for key, paper in PAPERS.items():
                    target = html.with_suffix(f".{key}.pdf")
                    tmp = target.with_suffix(".pdf.tmp")
                    page.pdf(
                        path=str(tmp),
                        format=paper,
                        print_background=True,
                        margin={"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"},
                    )
                    tmp.replace(target)
                    made.append(target)
        finally:
            browser.close()
    return made


def npm_missing() -> str | None:
    """Why decks cannot be built here, or None when node and npm are on PATH."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if not missing:
        return None
    return (
        f"decks skipped: {' and '.join(missing)} not found on PATH. The slide decks need reveal.js "
        "and friends from the npm registry; install Node.js and npm (Debian: apt-get install -y "
        "nodejs npm) and run `make handouts` again. The handouts were built."
    )


def install_deck_assets() -> Path:
    """Install the pinned deck assets into build/decks/node_modules (skipped when already current)."""
    files = ("package.json", "package-lock.json")
    digest = hashlib.sha256(b"".join((NPM_PROJECT / f).read_bytes() for f in files)).hexdigest()
    stamp = DECKS / ASSETS / ".hamfoot-lock-sha256"
    if (
        stamp.exists()
        and stamp.read_text().strip() == digest
        and all((DECKS / f).exists() for f in DECK_FILES)
    ):
        return DECKS / ASSETS
    DECKS.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(NPM_PROJECT / f, DECKS / f)
    cmd = [
        shutil.which("npm") or "npm",
        "ci",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--loglevel=error",
    ]
    print(
        f"decks: installing reveal.js, require.js, jQuery, Font Awesome and MathJax ({' '.join(cmd[1:])} "
        f"in {DECKS.relative_to(ROOT)})",
        flush=True,
    )
    done = subprocess.run(cmd, cwd=DECKS, capture_output=True, text=True)
    if done.returncode != 0:
        raise DeckAssetsError(
            f"`npm ci` in {DECKS} failed ({done.returncode}); is the npm registry "
            f"reachable?\n{(done.stderr or done.stdout)[-2000:]}"
        )
    missing = [f for f in DECK_FILES if not (DECKS / f).exists()]
    if missing:
        raise DeckAssetsError(
            f"npm installed the deck assets but these files are missing: {missing}"
        )
    stamp.write_text(digest + "\n")
    return DECKS / ASSETS


def main(argv: list[str]) -> int:
    pdf = "--no-pdf" not in argv
    argv = [a for a in argv if a != "--no-pdf"]
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    exp = exporter()
    pages = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for edition in EDITIONS:
            shown = printed_widgets(copy.deepcopy(nb), edition)
            target = _export(path, exp, OUT, f".{edition}.html", edition, shown)
            pages.append(target)
            print(f"handout {target.relative_to(ROOT)}")
    if pdf:
        if not Path(CHROMIUM).exists():
            print(
                f"PDFs not built: {CHROMIUM} is missing (apt-get install -y chromium)",
                file=sys.stderr,
            )
            return 1
        for target in print_pdfs(pages):
            print(f"pdf     {target.relative_to(ROOT)}")
    why = npm_missing()
    if why:
        print(why, file=sys.stderr)
        return 0
    try:
        install_deck_assets()
    except DeckAssetsError as e:
        print(f"decks not built: {e}", file=sys.stderr)
        return 1
    deck = deck_exporter()
    for path in paths:
        target = build_deck(path, deck)
        print(f"deck    {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
