"""Lesson 01: anatomy facts from data/anatomy.yaml, the diagram's geometry, and the widget."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import words

from hamfoot import anatomy, content
from hamfoot.plots import anatomy as drawing
from hamfoot.schema import ContentError

DATA = Path(__file__).resolve().parents[1] / "data"


def alt_text(markup: str) -> str:
    return html.unescape(re.search(r'alt="([^"]*)"', markup).group(1))


def image(markup: str) -> str:
    return re.search(r"base64,([A-Za-z0-9+/=]+)", markup).group(1)


# ---------------------------------------------------------------- data
def test_every_structure_is_complete_and_cites_known_references():
    known = content.load().index["references"]
    for s in anatomy.structures():
        assert s.role and s.references and all(r in known for r in s.references), s.id
        if s.kind != "landmark":
            assert s.origin and s.insertion, s.id


def test_the_three_long_hamstring_heads_cross_two_joints_and_the_short_head_one():
    two = {s.id for s in anatomy.structures() if s.biarticular}
    assert {"semimembranosus", "semitendinosus", "biceps-femoris-long-head", "gastrocnemius"} <= two
    assert anatomy.get("biceps-femoris-short-head").biarticular is False
    assert anatomy.get("soleus").biarticular is False
    assert "Two-joint" in anatomy.crossing(anatomy.get("semimembranosus"))
    assert "One-joint" in anatomy.crossing(anatomy.get("soleus"))
    assert "not a muscle" in anatomy.crossing(anatomy.get("plantar-fascia"))


def test_tilt_texts_point_to_a_real_claim_and_mechanism():
    t = anatomy.pelvic_tilt()
    assert content.get("claims", t.claim).verdict == "contradicted"
    assert content.get("mechanisms", t.mechanism)


def test_unknown_structure_is_a_clear_error():
    with pytest.raises(ValueError, match="no structure 'tibialis'.*semimembranosus"):
        anatomy.get("tibialis")


@pytest.mark.parametrize(
    "degrees, expected",
    [(-15, "posterior"), (-0.6, "posterior"), (0, "neutral"), (0.3, "neutral"), (15, "anterior")],
)
def test_tilt_direction(degrees, expected):
    assert anatomy.tilt_direction(degrees) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "5", None, True])
def test_tilt_direction_rejects_non_numbers(bad):
    with pytest.raises(ValueError, match="degrees"):
        anatomy.tilt_direction(bad)


# ---------------------------------------------------------------- validation errors
@pytest.fixture
def data_copy(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("__pycache__"))
    yield root
    anatomy.load.cache_clear()
    content.load.cache_clear()


def break_file(root: Path, old: str, new: str) -> None:
    path = root / anatomy.FILE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, where",
    [
        (
            "references: [erdemir2004]\n",
            "references: [erdemir2005]\n",
            "entry 'achilles-tendon', field 'references[0]': 'erdemir2005' is not an id in references.yaml",
        ),
        (
            "joints: [knee]\n    biarticular: false",
            "joints: [knee]\n    biarticular: true",
            "entry 'biceps-femoris-short-head', field 'joints'",
        ),
        (
            "    origin: >-\n      Back of the upper tibia",
            "    note: >-\n      Back of the upper tibia",
            "entry 'soleus', field 'note': unknown field",
        ),
        (
            "    origin: >-\n      Back of the upper tibia (the soleal line) and the head and upper shaft of the fibula.\n",
            "",
            "entry 'soleus', field 'origin': is required for a muscle",
        ),
        (
            "claim: anterior-pelvic-tilt",
            "claim: anterior-tilt",
            "entry 'pelvic_tilt', field 'claim': 'anterior-tilt' is not an id in claims.yaml",
        ),
        ("- id: soleus", "- id: gastrocnemius", "entry 'gastrocnemius', field 'id': duplicate id"),
        ("kind: ligament", "kind: band", "entry 'sacrotuberous-ligament', field 'kind'"),
        ("structures:\n", "structures: [\n", "is not valid YAML at line"),
    ],
)
def test_bad_anatomy_names_file_entry_and_field(data_copy, old, new, where):
    break_file(data_copy, old, new)
    with pytest.raises(ContentError) as err:
        anatomy.load(data_copy)
    assert f"data/{anatomy.FILE}: " in str(err.value)
    assert where in str(err.value)


def test_the_unbroken_copy_loads(data_copy):
    assert [s.id for s in anatomy.load(data_copy).structures] == [
        s.id for s in anatomy.structures()
    ]


# ---------------------------------------------------------------- geometry
def test_every_structure_has_a_drawing_and_a_label_and_nothing_else_does():
    ids = {s.id for s in anatomy.structures()}
    assert set(drawing.PATHS) == ids == set(drawing.LABELS) == set(drawing.PROJECTOR_WORDS.labels)


def test_ischial_tuberosity_sits_behind_and_below_the_hip():
    x, y = drawing.place(drawing.PATHS["ischial-tuberosity"], 0)[0]
    assert x < 0 and y < 0  # facing right: behind = negative x


def test_posterior_tilt_carries_the_ischium_down_and_forward_and_the_crest_back():
    it = drawing.PATHS["ischial-tuberosity"]
    crest = [("p", (0.0, 18.0))]
    (x0, y0), (xp, yp), (xa, ya) = (drawing.place(it, t)[0] for t in (0, -10, 10))
    assert xp > x0 and yp < y0  # posterior: down and forward
    assert xa < x0 and ya > y0  # anterior: up and back
    assert drawing.place(crest, -10)[0][0] < 0 < drawing.place(crest, 10)[0][0]


def test_hamstrings_are_slack_in_posterior_tilt_and_stretched_in_anterior():
    def length(tilt):
        curve = drawing.bezier(drawing.place(drawing.PATHS["semimembranosus"], tilt))
        return np.linalg.norm(np.diff(curve, axis=0), axis=1).sum()

    assert length(-15) < length(0) < length(15)


# ---------------------------------------------------------------- widget
@pytest.fixture(scope="module")
def widget():
    from hamfoot.widgets.anatomy import posterior_chain_diagram

    return posterior_chain_diagram()


def test_controls_come_first_and_have_labels(widget):
    assert widget.children[0] is widget.structure
    for control in widget.controls.values():
        assert control.description


def test_every_structure_can_be_selected_and_shows_its_facts(widget):
    seen = set()
    for s in anatomy.structures():
        widget.structure.value = s.id
        facts = words(widget.facts.value)
        assert s.name in facts and s.role.split()[0] in facts
        if s.origin:
            assert " ".join(s.origin.split()) in facts
        assert f"Highlighted: {s.name}" in alt_text(widget.figure.value)
        assert s.name in words(widget.figure.value)  # the caption names it too
        seen.add(image(widget.figure.value))
    assert len(seen) == len(anatomy.structures())  # each highlight draws differently


@pytest.mark.parametrize(
    "tilt, word, other",
    [(-15, "posterior", "anterior (forward)"), (15, "anterior", "posterior (backward)")],
)
def test_tilt_extremes_say_the_direction_in_words(widget, tilt, word, other):
    widget.tilt.value = 0
    before = image(widget.figure.value)
    widget.tilt.value = tilt
    text = words(widget.tilt_text.value)
    assert f"Pelvis now: 15° {word}" in text
    assert getattr(anatomy.pelvic_tilt(), word).text.split(":")[0] in text
    assert f"pelvis 15° {word}" in words(widget.figure.value)
    assert other not in alt_text(widget.figure.value)
    assert image(widget.figure.value) != before
    widget.tilt.value = 0


def test_out_of_range_tilt_is_clamped_not_raised(widget):
    widget.tilt_box.value = 90
    assert widget.tilt.value == drawing.TILT_LIMIT
    widget.tilt.value = -90
    assert widget.tilt.value == -drawing.TILT_LIMIT
    widget.tilt.value = 0


def test_the_article_claim_toggle_contrasts_the_directions(widget):
    claim = content.get("claims", anatomy.pelvic_tilt().claim)
    widget.claim.value = False
    assert "article's claim" not in alt_text(widget.figure.value)
    assert claim.statement.split(";")[0] not in words(widget.tilt_text.value)
    widget.claim.value = True
    text = words(widget.tilt_text.value)
    assert claim.statement.split(";")[0] in text and "Verdict: contradicted" in text
    assert "article's claim of anterior tilt" in alt_text(widget.figure.value)
    widget.claim.value = False


def test_the_text_always_says_a_hamstring_pull_tilts_posteriorly_and_when(widget):
    t = anatomy.pelvic_tilt()
    for tilt in (-15, 0, 15):
        widget.tilt.value = tilt
        text = words(widget.tilt_text.value)
        assert " ".join(t.pull.text.split()) in text and " ".join(t.when.text.split()) in text
    widget.tilt.value = 0


def test_static_chart_has_words():
    chart = drawing.posterior_chain("soleus", -5, True)
    assert repr(chart).startswith("Figure: Soleus highlighted; pelvis 5° posterior")
    assert "alt=" in chart._repr_html_()


def test_the_builder_can_start_on_a_structure_and_rejects_unknown_ones():
    from hamfoot.widgets.anatomy import posterior_chain_diagram

    box = posterior_chain_diagram("ischial-tuberosity", tilt=-40, show_claim=True)
    assert box.structure.value == "ischial-tuberosity" and box.tilt.value == -drawing.TILT_LIMIT
    assert "Verdict: contradicted" in words(box.tilt_text.value)
    with pytest.raises(ValueError, match="no structure 'tibialis'"):
        posterior_chain_diagram("tibialis")


def test_a_structure_without_a_drawing_is_a_clear_error():
    extra = anatomy.get("soleus").model_copy(update={"id": "tibialis-posterior"})
    with pytest.raises(ValueError, match="no drawing for structure.*tibialis-posterior"):
        drawing.ChainDiagram([extra])
