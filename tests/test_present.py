"""`hamfoot present`: lesson look-up, and the token never on the server's command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hamfoot import present

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize("given", ["02", "2", "02-chain-model", "02-chain-model.ipynb"])
def test_lesson_is_found_by_number_or_name(given):
    assert present.find_lesson(given, NOTEBOOKS).name == "02-chain-model.ipynb"


def test_unknown_lesson_names_the_choices():
    with pytest.raises(present.PresentError, match="lesson '42' not found.*00-start-here"):
        present.find_lesson("42", NOTEBOOKS)


def test_unknown_lesson_exits_2(capsys):
    assert present.main(["42", "--no-browser", "--dir", str(NOTEBOOKS)]) == 2
    assert "not found" in capsys.readouterr().err


def test_token_travels_in_the_environment_only(tmp_path):
    token = "secret-token-123"
    cmd = present.server_command(NOTEBOOKS, 8999)
    env = present.server_env(token, tmp_path)
    assert not any(token in a for a in cmd)
    assert "--ip=127.0.0.1" in cmd
    assert env["JUPYTER_TOKEN"] == token
    assert str(present.ASSETS) in env["JUPYTER_PATH"].split(":")
    startup = Path(env["IPYTHONDIR"]) / "profile_default" / "startup"
    assert "projector" in next(startup.glob("*.py")).read_text()
    page = present.redirect_page(tmp_path, f"http://127.0.0.1:1/x?token={token}")
    assert page.stat().st_mode & 0o077 == 0  # only the presenter can read it


def test_projector_scales_every_font_size_and_reports_the_smallest():
    """Explicit fontsize= numbers are scaled too (the plots set many labels at 7-9 pt)."""
    from hamfoot.plots import projector, style

    fig, ax = style.new_figure()
    small = ax.text(0, 0, "label", fontsize=7)
    assert small.get_fontsize() == 7
    projector.use()
    try:
        projector.use()  # a second call changes nothing
        fig, ax = style.new_figure()
        small = ax.text(0, 0, "label", fontsize=7)
        big = ax.set_title("title", fontsize=20)
        assert small.get_fontsize() == projector.MIN_PT
        assert big.get_fontsize() == 20 * projector.SCALE
        assert ax.xaxis.get_ticklabels()[0].get_fontsize() >= projector.MIN_PT
        ax.plot([0, 1], label="a legend entry")
        ax.legend(fontsize=8)  # wrapped legend text must not break the layout
        html = style.figure_html(fig, "alt", "summary")
        tall, _ = style.new_figure(3.5, 6.0)
        wide, _ = style.new_figure(7.6, 3.3)
        assert tall.get_figheight() == pytest.approx(projector.MAX_HEIGHT_IN)
        assert wide.get_figwidth() == pytest.approx(projector.MAX_WIDTH_IN)
        assert tall.get_figwidth() / tall.get_figheight() == pytest.approx(3.5 / 6.0)
        px = float(html.split('data-hf-text-px="')[1].split('"')[0])
        assert px == pytest.approx(projector.MIN_PT * projector.DPI / 72)
    finally:
        projector.undo()
    assert ax.text(0, 0, "again", fontsize=7).get_fontsize() == 7
    assert "data-hf-text-px" not in style.figure_html(fig, "alt", "summary")
    assert projector.text_px(20, 300, 600) == pytest.approx(10)


def test_plots_can_ask_for_the_projector_and_only_free_text_wraps():
    """Tick labels and legend entries are not wrapped on the projector (the layout makes room for
    them; wrapped at their first position they folded onto their neighbours); other text is."""
    from conftest import projecting

    from hamfoot.plots import projector, style

    assert not projector.active()
    with projecting():
        assert projector.active()
        fig, ax = style.new_figure()
        ax.plot([0, 1], label="an entry")
        legend = ax.legend(title="a heading")
        ax.set_yticks([0, 1], ["a tick label", "another tick label"])
        ticks = ax.get_yticklabels()
        assert ax.text(0, 0, "free text").get_wrap()
        assert not any(t.get_wrap() for t in [*legend.get_texts(), legend.get_title(), *ticks])
    assert not projector.active()
    fig, ax = style.new_figure()
    assert not ax.text(0, 0, "free text").get_wrap()
