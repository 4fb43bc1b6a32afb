"""A schematic side view of the posterior chain: pelvis, femur, tibia and fibula, foot, and the
soft tissues lesson 01 names, with one structure highlighted and the pelvis tilted on demand.

Why drawn, not an image: the highlight, the tilt and the article's claim must follow the controls
and be described in words. Why schematic: proportions are rough, medial and lateral structures
share one plane, and nothing here is measured; the drawing shows attachments and directions only.
The person faces right (front = right), so a posterior tilt turns the pelvis anticlockwise
about the hip and carries the ischial tuberosity down and forward.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from hamfoot import anatomy
from hamfoot.plots import style
from hamfoot.plots.style import OKABE_ITO, Chart, canvas_html, freeze_layout

if TYPE_CHECKING:  # pragma: no cover
    from hamfoot.anatomy import Structure

HIP = np.array([0.0, 0.0])
YLIM, HEIGHT = (-104.0, 32.0), 6.0  # drawing extent (cm) and height (inches)
STATIC_DPI = 96  # figure_html's resolution: the cached background matches it pixel for pixel
TILT_LIMIT = 15.0  # degrees either way; the widget's slider range

# Coordinates in cm, hip centre at the origin. "p" points ride on the pelvis (they rotate with
# the tilt); "f" points are fixed to the leg. 2 points = straight, 3 = quadratic, 4 = cubic Bezier.
PATHS: dict[str, list[tuple[str, tuple[float, float]]]] = {
    "semimembranosus": [("p", (-4.2, -8.8)), ("f", (-7.5, -26.0)), ("f", (-1.6, -46.5))],
    "semitendinosus": [
        ("p", (-4.9, -9.6)),
        ("f", (-10.0, -30.0)),
        ("f", (-5.0, -47.0)),
        ("f", (3.0, -50.5)),
    ],
    "biceps-femoris-long-head": [("p", (-4.6, -9.2)), ("f", (-5.2, -27.0)), ("f", (-3.2, -47.5))],
    "biceps-femoris-short-head": [("f", (-1.6, -20.0)), ("f", (-3.6, -35.0)), ("f", (-3.2, -47.5))],
    "ischial-tuberosity": [("p", (-4.6, -9.2))],
    "sacrotuberous-ligament": [("p", (-13.2, 3.0)), ("p", (-10.0, -5.5)), ("p", (-5.0, -9.0))],
    "gastrocnemius": [
        ("f", (-1.4, -39.5)),
        ("f", (-10.0, -47.0)),
        ("f", (-9.0, -61.0)),
        ("f", (-5.2, -67.5)),
    ],
    "soleus": [
        ("f", (-2.6, -50.0)),
        ("f", (-7.0, -58.0)),
        ("f", (-6.2, -68.0)),
        ("f", (-5.0, -73.0)),
    ],
    "achilles-tendon": [("f", (-5.2, -67.5)), ("f", (-6.6, -79.0)), ("f", (-6.9, -88.5))],
    "plantar-fascia": [("f", (-5.0, -92.0)), ("f", (5.0, -88.5)), ("f", (19.0, -92.6))],
}
# Where each structure's name goes when highlighted (text position; the arrow points at the path).
LABELS: dict[str, tuple[float, float]] = {
    "semimembranosus": (-49, -24),
    "semitendinosus": (-49, -33),
    "biceps-femoris-long-head": (-49, -20),
    "biceps-femoris-short-head": (-49, -36),
    "ischial-tuberosity": (-49, -16),
    "sacrotuberous-ligament": (-49, -4),
    "gastrocnemius": (-49, -52),
    "soleus": (-49, -64),
    "achilles-tendon": (-49, -80),
    "plantar-fascia": (-49, -87),
}


class Words(NamedTuple):
    """Where the diagram's words go: the drawing's x extent (cm), each name as (x, y, text, ha),
    the highlighted structure's name per structure with its alignment, and where the label of the
    ischial tuberosity starts its pointer line."""

    xlim: tuple[float, float]
    bones: list[tuple[float, float, str, str]]
    back: tuple[float, float, str, str]
    front: tuple[float, float, str, str]
    pull: tuple[float, float, str, str]
    claim: tuple[float, float, str, str]
    labels: dict[str, tuple[float, float]]
    label_ha: str
    tuberosity: tuple[float, float, str, str]
    tuberosity_line: tuple[float, float]


# JupyterLab: a narrow figure, names beside the bones in small type.
STUDENT_WORDS = Words(
    xlim=(-50.0, 30.0),
    bones=[
        (16, 8, "pelvis\n(ilium)", "left"),
        (5.0, -24, "femur", "left"),
        (4.5, -66, "tibia and\nfibula", "left"),
        (-14, -99, "calcaneus", "left"),
        (9, -85, "foot", "left"),
        (-26, 12, "sacrum", "left"),
    ],
    back=(-49, -103, "← back", "left"),
    front=(29, -103, "front →", "right"),
    pull=(-49, 22, "hamstring pull:\nposterior tilt ✔", "left"),
    claim=(29.5, 16, "article's claim:\nanterior tilt ✘", "right"),
    labels=LABELS,
    label_ha="left",
    tuberosity=(-49, -16, "ischial tuberosity", "left"),
    tuberosity_line=(-33, -16),
)
# Projector: 15 pt words need the room of a slide-wide figure, so they stand in two columns,
# behind the body (right-aligned against it) and in front of it, each on its own line.
PROJECTOR_WORDS = Words(
    xlim=(-124.0, 136.0),
    bones=[
        (13, 0, "pelvis (ilium)", "left"),
        (6, -24, "femur", "left"),
        (6, -64, "tibia and fibula", "left"),
        (-10, -90, "calcaneus", "right"),
        (24, -90, "foot", "left"),
        (-18, 0, "sacrum", "right"),
    ],
    back=(-122, -101, "← back", "left"),
    front=(134, -101, "front →", "right"),
    pull=(-18, 13, "hamstring pull:\nposterior tilt ✔", "right"),
    claim=(12, 13, "article's claim:\nanterior tilt ✘", "left"),
    labels={
        "semimembranosus": (-18, -32),
        "semitendinosus": (-18, -42),
        "biceps-femoris-long-head": (-18, -34),
        "biceps-femoris-short-head": (-18, -44),
        "ischial-tuberosity": (-18, -13),
        "sacrotuberous-ligament": (-18, -32),
        "gastrocnemius": (-18, -55),
        "soleus": (-18, -64),
        "achilles-tendon": (-18, -78),
        "plantar-fascia": (-18, -74),
    },
    label_ha="right",
    tuberosity=(-18, -13, "ischial tuberosity", "right"),
    tuberosity_line=(-17, -13),
)
# Bones (pelvis frame for the pelvis and sacrum, fixed otherwise).
ILIUM = [
    (-9, 11),
    (-6, 16),
    (-1, 19.5),
    (5, 19),
    (9, 15),
    (10.5, 9),
    (8.5, 5),
    (6, 3),
    (8, -2),
    (10, -6),
    (7, -8),
    (2, -6),
    (-2, -9),
    (-4.6, -10.4),
    (-6.6, -7),
    (-6, -2),
    (-5.2, 3),
    (-8, 6),
]
SACRUM = [
    (-9, 14),
    (-13, 12),
    (-15, 6),
    (-14.3, 0),
    (-12, -4.5),
    (-10.5, -3),
    (-8.6, 4),
    (-8.2, 10),
]
CALCANEUS = [(-7.4, -88), (-5, -85.5), (2, -86), (3, -90), (-2, -92.6), (-7, -92.2)]
FOREFOOT = [(2, -86), (9, -87.5), (16.5, -90.5), (16, -93), (3, -90)]
BONE_LINES = {  # thick rounded strokes: (start, end, width in points)
    "femur": ((-0.6, -2.5), (1.0, -40.5), 11),
    "tibia": ((1.4, -45.5), (0.6, -84.0), 10),
    "fibula": ((-3.0, -47.5), (-2.4, -85.0), 4),
    "toes": ((16.5, -91.5), (22.5, -93.0), 5),
}
GREY, BONE, DIM = "#8c8c8c", "#e6e6e6", (0, (1, 1.5))
HIGHLIGHT = OKABE_ITO["vermillion"]
CLAIM = OKABE_ITO["blue"]


def rotation(degrees: float) -> np.ndarray:
    """2-D rotation matrix for a pelvic tilt (anterior positive = clockwise when facing right)."""
    a = math.radians(-degrees)
    return np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])


def place(points: Sequence[tuple[str, tuple[float, float]]], tilt: float) -> np.ndarray:
    """Control points in drawing coordinates for a given pelvic tilt."""
    r = rotation(tilt)
    return np.array(
        [
            HIP + r @ (np.array(xy) - HIP) if frame == "p" else np.array(xy, float)
            for frame, xy in points
        ]
    )


def bezier(ctrl: np.ndarray, n: int = 40) -> np.ndarray:
    """Points along the Bezier curve through the control points (de Casteljau)."""
    t = np.linspace(0, 1, n)[:, None]
    pts = [np.broadcast_to(c, (n, 2)) for c in ctrl]
    while len(pts) > 1:
        pts = [(1 - t) * a + t * b for a, b in zip(pts, pts[1:])]
    return pts[0]


def tilt_words(tilt: float) -> str:
    """'10° posterior (backward)' / 'neutral' / '5° anterior (forward)'."""
    direction = anatomy.tilt_direction(tilt)
    if direction == "neutral":
        return "neutral (0°)"
    return f"{abs(tilt):.0f}° {direction} ({'backward' if direction == 'posterior' else 'forward'})"


class ChainDiagram:
    """The drawing, built once; `update()` moves and restyles artists without a new layout.

    Highlight = thick solid vermillion line with a circle at the origin and a square at the
    insertion, plus a name label; everything else thin, grey and dotted. So the selection reads
    without colour.
    """

    def __init__(self, structures: Sequence[Structure] | None = None):
        from matplotlib.patches import Circle, Ellipse, Polygon

        self.structures = tuple(structures or anatomy.structures())
        missing = [s.id for s in self.structures if s.id not in PATHS]
        if missing:
            raise ValueError(
                f"no drawing for structure(s) {', '.join(missing)}; add them to PATHS "
                "in hamfoot/plots/anatomy.py"
            )
        from hamfoot.plots import projector

        big = projector.active()
        self.names = {s.id: s.name for s in self.structures}
        # on the label, a bracketed second name goes on a line of its own (on the projector, so
        # does the part after a comma)
        self.label_names = {k: v.replace(" (", "\n(") for k, v in self.names.items()}
        if big:
            self.label_names = {k: v.replace(", ", ",\n") for k, v in self.label_names.items()}
        self.words = words = PROJECTOR_WORDS if big else STUDENT_WORDS
        (x0, x1), (y0, y1) = words.xlim, YLIM
        # style.new_figure, looked up now: projector mode swaps it (hamfoot.plots.projector)
        self.fig, ax = style.new_figure(HEIGHT * (x1 - x0) / (y1 - y0), HEIGHT)
        self.fig.set_layout_engine("none")  # the drawing fills the figure; no layout to solve
        ax.set_position([0, 0, 1, 1])
        self.ax = ax
        ax.set_xlim(*words.xlim)
        ax.set_ylim(*YLIM)
        ax.set_aspect("equal")
        ax.axis("off")
        edge = dict(ec="#555555", lw=1, zorder=1)
        # ---- the static layer: drawn once, then kept as a picture (text is the slow part)
        static = [
            ax.plot(*zip(a, b), color="#555555", lw=width + 1.6, solid_capstyle="round")[0]
            for a, b, width in BONE_LINES.values()
        ]
        static += [
            ax.plot(*zip(a, b), color=BONE, lw=width, solid_capstyle="round")[0]
            for a, b, width in BONE_LINES.values()
        ]
        static += [
            ax.add_patch(Polygon(CALCANEUS, closed=True, fc=BONE, **edge)),
            ax.add_patch(Polygon(FOREFOOT, closed=True, fc=BONE, **edge)),
            ax.add_patch(Ellipse((1.0, -42.5), 8, 5, fc=BONE, **edge)),
            ax.add_patch(Ellipse((5.6, -41.5), 2.2, 4.2, fc=BONE, **edge)),
            ax.add_patch(Circle((0.6, -86.5), 2.4, fc=BONE, **edge)),
            ax.plot([-20, 28], [-93.6, -93.6], color="#555555", lw=1)[0],
        ]
        small = dict(fontsize=7, color="#444444", style="italic")
        for x, y, text, ha in words.bones:
            static.append(ax.text(x, y, text, ha=ha, **small))
        static += [
            ax.text(*words.back[:3], ha=words.back[3], fontsize=7, color="#444444"),
            ax.text(*words.front[:3], ha=words.front[3], fontsize=7, color="#444444"),
            ax.text(*words.pull[:3], ha=words.pull[3], fontsize=7.5, fontweight="bold"),
        ]
        self._cache_static(static)
        # ---- the moving layer
        self.ilium = ax.add_patch(
            Polygon(ILIUM, closed=True, fc=BONE, ec="#555555", lw=1.2, zorder=2)
        )
        self.sacrum = ax.add_patch(
            Polygon(SACRUM, closed=True, fc="#d4d4d4", ec="#555555", lw=1.2, zorder=2)
        )
        ax.add_patch(Circle(HIP, 2.6, fc=BONE, ec="#555555", lw=1, zorder=3))
        self.lines = {}
        for s in self.structures:
            if s.kind == "landmark":
                (line,) = ax.plot(
                    [],
                    [],
                    linestyle="none",
                    marker="X",
                    ms=7,
                    color="#444444",
                    mec="white",
                    zorder=6,
                )
            else:
                (line,) = ax.plot([], [], solid_capstyle="round", zorder=4)
            self.lines[s.id] = line
        (self.origin_mark,) = ax.plot([], [], "o", ms=8, color=HIGHLIGHT, mec="black", zorder=7)
        (self.insert_mark,) = ax.plot([], [], "s", ms=7, color=HIGHLIGHT, mec="black", zorder=7)
        (self.label_line,) = ax.plot([], [], color="black", lw=0.8, zorder=8)
        self.label = ax.text(
            0,
            0,
            "",
            fontsize=9,
            fontweight="bold",
            va="center",
            ha=words.label_ha,
            zorder=9,
            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=HIGHLIGHT, lw=1.5),
        )
        (self.it_line,) = ax.plot([], [], color="#444444", lw=0.6, zorder=3)
        *where, text, ha = words.tuberosity
        self.it_label = ax.text(
            *where, text, ha=ha, fontsize=7, color="#444444", va="center", zorder=9
        )
        # the real direction of a hamstring pull (always) and the article's claim (on demand)
        self.arrows = {}
        for name, dashes, colour in [
            ("pull", "-", "black"),
            ("turn", "-", "black"),
            ("claim", "--", CLAIM),
        ]:
            (shaft,) = ax.plot([], [], color=colour, lw=2, linestyle=dashes, zorder=9)
            head = ax.add_patch(Polygon([(0, 0)] * 3, closed=True, fc=colour, ec=colour, zorder=9))
            self.arrows[name] = (shaft, head)
        self.claim_text = ax.text(
            *words.claim[:3],
            fontsize=7,
            ha=words.claim[3],
            color=CLAIM,
            fontweight="bold",
        )
        self.state = ("", math.nan, False)
        self.update(self.structures[0].id, 0.0, False)
        freeze_layout(self.fig)

    def _cache_static(self, artists) -> None:
        """Render the artists that never change into an image behind the moving ones. Redraws then
        skip their text layout and glyph rendering, the slowest part of a frame."""
        import io

        buf = io.BytesIO()
        self.fig.savefig(buf, format="rgba", dpi=STATIC_DPI)
        height = int(self.fig.get_size_inches()[1] * STATIC_DPI)
        picture = np.frombuffer(buf.getvalue(), np.uint8).reshape(height, -1, 4)
        for a in artists:
            a.remove()
        # Pixel for pixel behind everything (figimage, not imshow: no resampling on each frame,
        # a quarter of a frame's cost), as long as the figure is drawn at STATIC_DPI.
        self.fig.figimage(picture, zorder=-10)
        self.ax.set_xlim(*self.words.xlim)
        self.ax.set_ylim(*YLIM)

    def _arrow(self, name: str, start, end, bend: float = 0.0, visible: bool = True) -> None:
        """A shaft from start to end (bowed sideways by `bend` × length) with a triangular head."""
        shaft, head = self.arrows[name]
        start, end = np.asarray(start, float), np.asarray(end, float)
        span = end - start
        normal = np.array([-span[1], span[0]])
        curve = bezier(np.array([start, (start + end) / 2 + bend * normal, end]), 20)
        direction = curve[-1] - curve[-3]
        direction /= np.linalg.norm(direction)
        side = np.array([-direction[1], direction[0]])
        tip, size = curve[-1], 2.4
        base = tip - size * direction
        shaft.set_data(*np.vstack([curve[:-2], base]).T)
        head.set_xy([tip, base + 0.45 * size * side, base - 0.45 * size * side])
        shaft.set_visible(visible)
        head.set_visible(visible)

    def update(self, selected: str, tilt: float, show_claim: bool) -> None:
        """Highlight `selected`, tilt the pelvis by `tilt` degrees (anterior +), show the claim arrow."""
        if selected not in self.lines:
            raise ValueError(f"selected must be one of {', '.join(self.lines)}; got {selected!r}")
        tilt = max(-TILT_LIMIT, min(TILT_LIMIT, float(tilt)))
        r = rotation(tilt)
        self.ilium.set_xy(place([("p", p) for p in ILIUM], tilt))
        self.sacrum.set_xy(place([("p", p) for p in SACRUM], tilt))
        for sid, line in self.lines.items():
            pts = place(PATHS[sid], tilt)
            curve = pts if len(pts) == 1 else bezier(pts)
            line.set_data(curve[:, 0], curve[:, 1])
            chosen = sid == selected
            if len(pts) == 1:  # a landmark: bigger marker when chosen
                line.set_markersize(14 if chosen else 7)
                line.set_color(HIGHLIGHT if chosen else "#444444")
                line.set_markeredgecolor("black" if chosen else "white")
                if chosen:
                    self.origin_mark.set_data([], [])
                    self.insert_mark.set_data([], [])
                continue
            line.set_color(HIGHLIGHT if chosen else GREY)
            line.set_linewidth(5 if chosen else 1.8)
            line.set_linestyle("-" if chosen else DIM)
            line.set_zorder(5 if chosen else 4)
            if chosen:
                self.origin_mark.set_data([curve[0, 0]], [curve[0, 1]])
                self.insert_mark.set_data([curve[-1, 0]], [curve[-1, 1]])
        chosen_pts = place(PATHS[selected], tilt)
        target = chosen_pts[0] if len(chosen_pts) == 1 else bezier(chosen_pts)[20]
        where = self.words.labels[selected]
        self.label.set_text(self.label_names[selected])
        self.label.set_position(where)
        self.label_line.set_data([where[0] + 1, target[0]], [where[1], target[1]])
        it = place(PATHS["ischial-tuberosity"], tilt)[0]
        start = self.words.tuberosity_line
        self.it_line.set_data([start[0], it[0]], [start[1], it[1]])
        self.it_line.set_visible(selected != "ischial-tuberosity")
        self.it_label.set_visible(selected != "ischial-tuberosity")
        knee_dir = np.array([-1.6, -46.5]) - it
        self._arrow("pull", it + [0.0, -1.0], it + 10 * knee_dir / np.linalg.norm(knee_dir))
        top = HIP + r @ np.array([-3.0, 22.0])
        self._arrow("turn", top + [8, 0], top + [-8, 0], bend=0.2)  # both bow away from the hip
        self._arrow("claim", top + [-8, 5.0], top + [8, 5.0], bend=0.2, visible=show_claim)
        self.claim_text.set_visible(show_claim)
        self.state = (selected, tilt, bool(show_claim))

    # ---------------------------------------------------------------- words
    def alt(self) -> str:
        """Alt text describing exactly what is drawn now."""
        selected, tilt, claim = self.state
        s = next(x for x in self.structures if x.id == selected)
        where = (
            "marked with a large cross at the bottom of the pelvis"
            if s.kind == "landmark"
            else "drawn as a thick solid line from its origin (circle) to its insertion (square)"
        )
        text = (
            f"Schematic side view of the pelvis, femur, tibia and fibula, calcaneus and foot, facing "
            f"right. Highlighted: {s.name}, {where}; other soft tissues are thin dotted grey "
            f"lines. The pelvis is tilted {tilt_words(tilt)}. A solid arrow from the ischial "
            "tuberosity toward the knee shows the hamstring pull, and a solid curved arrow over the "
            "pelvis shows the backward (posterior) rotation it produces."
        )
        if claim:
            text += (
                " A dashed curved arrow in the opposite, forward direction shows the article's "
                "claim of anterior tilt, marked with a cross as contradicted."
            )
        return text

    def summary(self) -> str:
        """One line: what is highlighted, the tilt, and whether the claim is shown."""
        selected, tilt, claim = self.state
        text = (
            f"{self.names[selected]} highlighted; pelvis {tilt_words(tilt)}; a hamstring pull "
            "rotates the pelvis posteriorly"
        )
        return text + (", opposite to the article's claim of anterior tilt." if claim else ".")

    def html(self) -> str:
        return canvas_html(self.fig, self.alt(), self.summary(), STATIC_DPI)


def posterior_chain(
    selected: str = "semimembranosus", tilt: float = 0.0, show_claim: bool = False
) -> Chart:
    """A static diagram (for slides and print): one structure highlighted at a given tilt."""
    d = ChainDiagram()
    d.update(selected, tilt, show_claim)
    return Chart(d.fig, d.alt(), d.summary())
