"""Build offline handouts and slide decks of every lesson into build/ (``make handouts``).

Why: a student without Python, or a lecture hall without internet, still gets the lesson text,
its tables, its figures (inline images with alt text and their "In words:" summary) and its
references. nbconvert's pages load require.js, MathJax, mermaid, reveal.js and the widget manager
from CDNs; here nothing does. Live widgets cannot run in a static page, so each widget output
becomes one sentence saying where to use it.

- build/handouts/<lesson>.html: one self-contained page (template handout_templates/handout drops
  every script), opens from the file system.
- build/decks/<lesson>.slides.html: a reveal.js deck (theme `white`, which needs no web fonts)
  built from the cells' slideshow metadata. reveal.js, require.js, jQuery, Font Awesome and
  MathJax 2 come from the npm registry at the versions pinned in tools/decks/package-lock.json,
  installed by `npm ci` into build/decks/node_modules (once; again only when the lockfile
  changes). Serve the folder over http to present: `python -m http.server -d build/decks`.
  Without node/npm the decks are skipped with a message and the handouts are still built.

Built from the committed, executed notebooks; nothing is executed here.
Usage: python tools/handouts.py [NOTEBOOK ...]   (default: every notebooks/*.ipynb)
"""

from __future__ import annotations

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
OUT = ROOT / "build" / "handouts"
DECKS = ROOT / "build" / "decks"
NPM_PROJECT = Path(__file__).resolve().parent / "decks"  # package.json + package-lock.json
TEMPLATES = Path(__file__).resolve().parent / "handout_templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="hamfoot-widget-note"><em>Interactive widget: run this lesson in JupyterLab '
    "(<code>make start</code>) to use it.</em></p>"
)
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


class StaticHandout(Preprocessor):
    """Widget outputs -> a worded note; links between lessons -> the sibling pages."""

    lesson_suffix = Unicode(".html", help="file suffix of the sibling pages lesson links point at")

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, self.lesson_suffix)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                out["data"] = {
                    "text/html": WIDGET_NOTE,
                    "text/plain": "Interactive widget: run this lesson in JupyterLab.",
                }
                continue
            for mime in ("text/markdown", "text/html"):
                if mime in data:
                    data[mime] = relink("".join(data[mime]), self.lesson_suffix)
        return cell, resources


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
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        reveal_theme=DECK_THEME,
        reveal_scroll=True,
        **DECK_URLS,
    )
    exp.register_preprocessor(StaticHandout(lesson_suffix=".slides.html"), enabled=True)
    return exp


def _static_notebook(path: Path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # no widget state: the page would load the widget manager
    title = lesson_title(nb)
    if title:
        nb.metadata["title"] = title
    return nb


def _export(path: Path, exp, folder: Path, suffix: str) -> Path:
    body, _ = exp.from_notebook_node(
        _static_notebook(path), resources={"metadata": {"name": path.stem}}
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{path.stem}{suffix}"
    target.write_text(body, encoding="utf-8")
    return target


def build(path: Path, exp: HTMLExporter | None = None) -> Path:
    return _export(path, exp or exporter(), OUT, ".html")


def build_deck(path: Path, exp: SlidesExporter | None = None) -> Path:
    return _export(path, exp or deck_exporter(), DECKS, ".slides.html")


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
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    exp = exporter()
    for path in paths:
        target = build(path, exp)
        print(f"handout {target.relative_to(ROOT)}")
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
