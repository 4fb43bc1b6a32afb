"""Figures and small tables for lesson 02, the chain model.

Why these pictures: the model's argument is a comparison of two lengths – what walking needs and
what a tight muscle allows – so every figure puts the two side by side, in % of resting length,
with the clinical test's convention in the axis label. Every figure computes its alt text and its
one-line summary from the numbers it draws, so the words can never disagree with the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from hamfoot import chain
from hamfoot.chain import clinical_tests, gait
from hamfoot.chain.demand import TOE_OFF_PCT, WalkResult, phase_name
from hamfoot.plots.words import join_words

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from hamfoot.plots.style import Chart

MUSCLE_WORDS = {
    "semimembranosus": "semimembranosus",
    "semitendinosus": "semitendinosus",
    "biceps-femoris-long-head": "biceps femoris long head",
}
SHORT = {"semimembranosus": "SM", "semitendinosus": "ST", "biceps-femoris-long-head": "BFlh"}
AKE_AXIS = "AKE deficit (° short of full knee extension, hip at 90°)"


def short_source(ref_id: str) -> str:
    """'Harty 2005' for a reference id; the package's own computations are named as such."""
    from hamfoot import content

    return content.author_year(ref_id)


def tightness_words(result: WalkResult) -> str:
    """'an AKE deficit of 20°' / 'a passive SLR of 70°' – the test with its convention."""
    if result.test == "ake":
        return (
            f"an AKE deficit of {result.test_value:.0f}° (short of full knee extension, hip at 90°)"
        )
    return f"a passive SLR of {result.test_value:.0f}° (leg-to-table, knee straight)"


# ---------------------------------------------------------------- normal walking angles
def gait_chart() -> Chart:
    """Winter's tabulated walking angles (markers) and the smooth Fourier fit the model uses (lines).

    On the projector the six legend entries inside the axes would cover the curves, so there one
    entry per joint (its line with its marker) stands beside the axes, the axis label says which
    is the fit and which the table, and the title spans the figure.
    """
    from matplotlib.lines import Line2D

    from hamfoot.plots import projector
    from hamfoot.plots.style import Chart, new_figure, series

    big = projector.active()
    table = gait.winter_table()
    angles = gait.walking_angles()
    rows = [
        ("thigh_vs_vertical_deg", angles.thigh, "thigh vs vertical (+ = forward)"),
        ("knee_flexion_deg", angles.knee, "knee flexion"),
        ("ankle_dorsiflexion_deg", angles.ankle, "ankle (+ = dorsiflexion; contact = 0)"),
    ]
    joints = [
        "thigh vs vertical\n(+ = forward)",
        "knee flexion",
        "ankle\n(+ = dorsiflexion;\ncontact = 0)",
    ]
    fig, ax = new_figure(6.8, 3.6)
    ax.axvspan(TOE_OFF_PCT, 100, color="#000000", alpha=0.06, lw=0)
    ax.text(30, 63, "stance", ha="center", fontsize=9)
    ax.text((TOE_OFF_PCT + 100) / 2, 63, "swing", ha="center", fontsize=9)
    handles = []
    for i, (column, fitted, label) in enumerate(rows):
        style = series(i)
        marker = style.pop("marker")
        ax.plot(angles.phase, fitted, linewidth=2, label=f"{label}: fit", **style)
        ax.plot(
            table["percent_cycle"],
            table[column],
            linestyle="none",
            marker=marker,
            color=style["color"],
            markersize=5,
            label=f"{label}: Winter table",
        )
        handles.append(Line2D([], [], linewidth=2, marker=marker, markersize=5, **style))
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-35, 68)
    ax.set_ylabel("angle (°)")
    title = "Normal walking, one adult (Winter Table A.1, processed for this course)"
    if big:
        ax.set_xlabel(
            "% of the gait cycle (0 = heel strike)\nlines: smooth fit · markers: Winter table"
        )
        fig.suptitle(title, fontsize=10)
        ax.legend(
            handles,
            joints,
            loc="upper left",
            bbox_to_anchor=(1.02, 1.02),
            frameon=False,
            borderaxespad=0,
            labelspacing=0.4,
        )
    else:
        ax.set_xlabel("% of the gait cycle (0 = heel strike)")
        ax.set_title(title, fontsize=10)
        ax.legend(loc="lower left", fontsize=7, ncol=2)

    errors = gait.fit_errors()
    worst = max(float(np.abs(e).max()) for e in errors.values())
    k, t = angles.knee, angles.thigh
    summary = (
        f"The knee bends to {k.max():.0f}° at {angles.phase[k.argmax()]:.0f}% of the cycle, in swing; "
        f"the thigh swings from {abs(t.min()):.0f}° behind vertical at {angles.phase[t.argmin()]:.0f}% to "
        f"{t.max():.0f}° in front at {angles.phase[t.argmax()]:.0f}%; the smooth fit stays within "
        f"{worst:.1f}° of every tabulated point."
    )
    alt = (
        "Line chart of joint angle against percent of the gait cycle for the thigh (solid line, "
        "circles), knee (dashed line, squares) and ankle (dash-dot line, triangles); markers are the "
        "tabulated values and lines the fitted curves; the swing phase is shaded. " + summary
    )
    return Chart(fig, alt, summary)


# ---------------------------------------------------------------- test equivalence table
def equivalence_table(
    ake_deficits: Sequence[float] = (10, 20, 30, 40, 50, 60, 70, 85),
) -> pd.DataFrame:
    """AKE deficit → the SLR angle (pelvis fixed) that stretches each hamstring equally (modelled)."""
    import pandas as pd

    slr = chain.slr_from_ake(np.asarray(ake_deficits, dtype=float))
    frame = pd.DataFrame(
        {
            f"SLR, {MUSCLE_WORDS[m]} (°)": np.round(slr[i]).astype(int)
            for i, m in enumerate(chain.HAMSTRINGS)
        },
        index=pd.Index(
            [int(a) if float(a).is_integer() else a for a in ake_deficits], name="AKE deficit (°)"
        ),
    )
    return frame


# ---------------------------------------------------------------- tightness sweep
def tightness_chart(tilts: Sequence[float] = (0, 10, 15), speed: str = "normal") -> Chart:
    """Knee flexion walking must keep at peak demand, against AKE deficit, for several pelvic tilts.

    The clinical tightness cut-offs (AKE deficit 20–33°) are hatched, and Whitehead 2007's
    gait-change threshold (85°) is marked, so the gap between them reads at a glance. On the
    projector the notes move apart (at 15 pt, centred on the band they ran into each other) and
    the legend goes under the axes.
    """
    from hamfoot.plots import projector
    from hamfoot.plots.style import Chart, new_figure, series

    big = projector.active()
    deficits = np.linspace(0, 120, 241)
    fig, ax = new_figure(6.8, 3.6)
    ax.axvspan(20, 33, facecolor="none", edgecolor="#555555", hatch="//", linewidth=0)
    ax.axvline(85, color="#000000", linestyle=":", linewidth=1.5)
    cutoffs = "usual clinical\n'tight' cut-offs\n(20–33°)"
    size = {} if big else {"fontsize": 8}  # the projector sets its own
    if big:  # on a white ground: 15 pt words over the hatching are hard to read
        white = {"facecolor": "white", "edgecolor": "none", "pad": 1}
        ax.text(1, 44, cutoffs, va="top", bbox=white)
    else:
        ax.text(26.5, 44, cutoffs, ha="center", va="top", **size)
    ax.text(84, 44, "Whitehead 2007:\ngait changed only\nbeyond 85°", ha="right", va="top", **size)
    phrases, reserves = [], []
    for i, tilt in enumerate(tilts):
        result = chain.sweep(deficits, pelvic_tilt=tilt, speed=speed)
        ax.plot(
            deficits,
            result.forced_knee_flexion,
            linewidth=2,
            markevery=20,
            label=f"{'' if big and i else 'pelvic tilt '}{tilt:g}°",
            **series(i),
        )
        # the deficit beyond which some hamstring is shorter than walking's peak demand
        threshold = float(clinical_tests.ake_equivalent(result.peak_demand_mm / 1000).min())
        phrases.append(f"{threshold:.0f}° at a pelvic tilt of {tilt:g}°")
        reserves.append(float(np.interp(33, deficits, result.reserve_pct)))
    ax.set_xlim(0, 120)
    ax.set_ylim(0, 45)
    ax.set_xlabel(AKE_AXIS)
    ax.set_title(
        f"When does hamstring tightness force a bent knee? ({speed} walking, modelled)", fontsize=10
    )
    if big:  # the legend reads "pelvic tilt 0°, 10°, 15°" under the axes
        ax.set_ylabel("knee flexion walking\nmust keep (°)")
        fig.legend(loc="outside lower center", ncols=len(tilts), frameon=False)
    else:
        ax.set_ylabel("knee flexion walking must keep (°)")
        ax.legend(loc="center left", fontsize=8)
    worst = int(np.argmin(reserves))
    summary = (
        f"Walking first needs a bent knee beyond an AKE deficit of {join_words(phrases)}; at the 33° "
        f"clinical cut-off at least {reserves[worst]:.1f}% of resting length is still in reserve "
        f"(pelvic tilt {tilts[worst]:g}°), so only deficits approaching Whitehead's 85° threshold "
        "change walking in this model."
    )
    alt = (
        "Line chart of the knee flexion walking must keep against the AKE deficit, one line per "
        "pelvic tilt with its own line style and marker; a hatched band marks the clinical cut-offs "
        "and a dotted vertical line marks 85°. " + summary
    )
    return Chart(fig, alt, summary)


# ---------------------------------------------------------------- downstream numbers
def downstream_table(knee_flexions: Sequence[float] = (0, 10, 20, 30, 40)) -> pd.DataFrame:
    """What a knee kept bent does downstream: calf slack and forefoot loading, each with its basis."""
    import pandas as pd

    rows = []
    for k in knee_flexions:
        calf = chain.gastrocnemius_length_change(k)
        ankle = chain.plantarflexion_equivalent(k)
        fore = chain.forefoot_loading(k)
        rows.append(
            {
                "knee flexion (°)": k,
                "medial gastrocnemius length (%)": round(calf.value, 2)
                + 0.0,  # + 0.0 turns -0.0 into 0.0
                "same as plantarflexion (°)": round(ankle.value, 1) + 0.0,
                "calf basis": f"{calf.label}: {short_source(calf.source)}",
                "forefoot phase (% of contact)": round(fore.value, 2),
                "forefoot basis": f"{fore.label}: {short_source(fore.source)}",
            }
        )
    return pd.DataFrame(rows).set_index("knee flexion (°)")


# ---------------------------------------------------------------- assumptions
def model_assumptions(ake_deficit: float = 33.0, pelvic_tilt: float = 10.0):
    """Every assumption behind the model's numbers, as a Markdown bullet list (normal and fast)."""
    from IPython.display import Markdown

    seen: dict[str, None] = {}
    for speed in chain.SPEEDS:
        seen.update(dict.fromkeys(chain.walk(ake_deficit, pelvic_tilt, speed).assumptions))
    return Markdown("\n".join(f"- {a}" for a in seen))


# ---------------------------------------------------------------- the explorer's figure
THIGH, SHANK, FOOT = 1.0, 1.0, 0.28  # schematic segment lengths (drawing units, not measured)
ISCHIUM = np.array([-0.13, -0.07])  # ischial tuberosity relative to the hip, pelvis neutral
PELVIS = np.array([[-0.16, 0.22], [0.1, 0.12], [0.06, -0.05], [-0.13, -0.07]])  # schematic outline


def _rotate(points: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate clockwise by ``degrees`` (anterior pelvic tilt when the person faces right)."""
    a = math.radians(-degrees)
    r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return points @ r.T


def leg_points(thigh: float, knee: float, ankle: float) -> np.ndarray:
    """Hip, knee, ankle and toe positions (drawing units) for sagittal angles in degrees.

    The person faces right: thigh flexion swings the knee forward (+x), knee flexion swings the
    shank back, dorsiflexion lifts the toes.
    """

    def unit(angle: float) -> np.ndarray:  # angle from straight down, anticlockwise
        r = math.radians(angle)
        return np.array([math.sin(r), -math.cos(r)])

    hip = np.zeros(2)
    knee_pt = hip + THIGH * unit(thigh)
    ankle_pt = knee_pt + SHANK * unit(thigh - knee)
    toe = ankle_pt + FOOT * unit(thigh - knee + 90 + ankle)
    return np.array([hip, knee_pt, ankle_pt, toe])


Y_RANGE = (-12.0, 30.0)  # % beyond resting length: covers every tilt, speed and test value allowed


class ChainFigure:
    """Demand against the test's limit over the cycle (left) and the leg at peak demand (right).

    Built once. The axes are fixed (same limits for every input), so the static parts – axes,
    ticks, labels, legends – are rendered once and cached; :meth:`render` only restores that
    background and draws the handful of moving artists (blitting). That keeps a slider move well
    inside 100 ms even on a busy 2-core machine, where a full matplotlib redraw is not.
    Each muscle's demand curve and its limit share colour and marker (the limit carries the marker
    at both ends), and the legend names them in words, so nothing depends on colour. The figure
    holds no changing text: the numbers go into the caption, which screen readers also get.
    """

    WIDTH, HEIGHT = 7.6, 3.3
    # On the projector (15 pt text in a slide-sized figure) the legends take fewer, shorter rows:
    # the chart's legend names the muscles in one row under a heading, and the leg's legend stands
    # under the leg rather than beside it.
    PROJECTOR_WIDTH, PROJECTOR_HEIGHT = 6.5, 3.4

    def __init__(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.lines import Line2D

        from hamfoot.plots import projector
        from hamfoot.plots.style import OKABE_ITO, new_figure, series

        big = projector.active()
        size = (self.PROJECTOR_WIDTH, self.PROJECTOR_HEIGHT) if big else (self.WIDTH, self.HEIGHT)
        self.fig, (ax, leg) = new_figure(*size, ncols=2)
        self.fig.set_layout_engine(None)  # fixed positions below: nothing to solve on redraw
        self.canvas = FigureCanvasAgg(self.fig)
        self.ax, self.leg_ax = ax, leg
        ax.set_position([0.16, 0.25, 0.4, 0.5] if big else [0.125, 0.15, 0.50, 0.62])
        leg.set_position([0.66, 0.41, 0.34, 0.59] if big else [0.66, 0.0, 0.34, 0.95])
        moving = []

        ax.axvspan(TOE_OFF_PCT, 100, color="#000000", alpha=0.06, lw=0)
        ax.text(TOE_OFF_PCT / 2, Y_RANGE[0] + 0.8, "stance", ha="center", fontsize=8)
        ax.text((TOE_OFF_PCT + 100) / 2, Y_RANGE[0] + 0.8, "swing", ha="center", fontsize=8)
        ax.axhline(0, color="#555555", linewidth=0.8)
        self.demand, self.limits = [], []
        phase = np.asarray(chain.PHASES)
        for i, muscle in enumerate(chain.HAMSTRINGS):
            style = series(i)
            self.demand.append(
                ax.plot(
                    phase,
                    np.zeros_like(phase),
                    linewidth=1.8,
                    markevery=10,
                    markersize=4,
                    label=f"{SHORT[muscle]} demand",
                    **style,
                )[0]
            )
            self.limits.append(
                ax.plot(
                    [0, 100],
                    [0, 0],
                    linewidth=1.6,
                    linestyle=(0, (1, 1)),
                    color=style["color"],
                    marker=style["marker"],
                    markersize=6,
                    clip_on=False,
                )[0]
            )
        handles = [
            *self.demand,
            Line2D([], [], color="#000000", linestyle=(0, (1, 1)), linewidth=1.6),
        ]
        if big:
            ax.legend(
                self.demand,
                [SHORT[m] for m in chain.HAMSTRINGS],
                loc="lower left",
                bbox_to_anchor=(-0.02, 1.01),
                ncol=len(self.demand),
                frameon=False,
                title="demand (dotted: its limit)",
                alignment="left",
                handlelength=1.5,
                columnspacing=1.0,
            )
        else:
            ax.legend(
                handles,
                [h.get_label() for h in self.demand] + ["dotted: its limit (same marker)"],
                loc="lower left",
                bbox_to_anchor=(-0.02, 1.01),
                ncol=2,
                fontsize=7,
                frameon=False,
            )
        self.peak_line = ax.axvline(94, color="#000000", linestyle="--", linewidth=1)
        self.peak_marker = ax.plot(
            [94], [0], marker="*", markersize=12, color="#000000", linestyle="none"
        )[0]
        self.shortfall = None
        ax.set_xlim(0, 100)
        ax.set_ylim(*Y_RANGE)
        ax.set_xlabel(
            "% of the gait cycle\n(0 = heel strike)"
            if big
            else "% of the gait cycle (0 = heel strike)",
            fontsize=9,
        )
        ax.set_ylabel("hamstring length\n(% beyond resting length)", fontsize=9)
        moving += [*self.demand, *self.limits, self.peak_line, self.peak_marker]

        leg.set_aspect("equal")
        leg.axis("off")
        leg.set_xlim(-0.55, 1.35)
        leg.set_ylim(-2.2, 0.5)
        self.pelvis = leg.fill(*PELVIS.T, facecolor="#e6e6e6", edgecolor="#555555")[0]
        self.walk_leg = leg.plot(
            [],
            [],
            color="#8c8c8c",
            linestyle="--",
            linewidth=2,
            marker="o",
            markersize=4,
            label="normal walking",
        )[0]
        self.tight_leg = leg.plot(
            [],
            [],
            color="#000000",
            linewidth=3,
            marker="o",
            markersize=5,
            label="with this tightness",
        )[0]
        self.cable = leg.plot(
            [],
            [],
            color=OKABE_ITO["vermillion"],
            linestyle=(0, (4, 1.5)),
            linewidth=2,
            label="hamstrings",
        )[0]
        corner = {"bbox_to_anchor": (1, 0), "bbox_transform": self.fig.transFigure}
        leg.legend(
            fontsize=7,
            frameon=False,
            title="Leg at peak demand\n(schematic)",
            title_fontsize=8,
            **(
                {"loc": "lower right", "handlelength": 1.2, **corner}
                if big
                else {"loc": "upper right"}
            ),
        )
        moving += [self.pelvis, self.walk_leg, self.tight_leg, self.cable]

        self.moving = moving
        for artist in moving:
            artist.set_animated(True)
        self.canvas.draw()  # static parts only (moving artists are animated)
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def update(self, result: WalkResult) -> tuple[str, str]:
        """Move the artists for a :func:`hamfoot.chain.walk` result; return (alt text, summary)."""
        l0 = result.resting_length_mm[:, None]
        demand_pct = np.clip((result.demand_mm / l0 - 1) * 100, *Y_RANGE)
        limit_pct = np.clip((result.max_length_mm / result.resting_length_mm - 1) * 100, *Y_RANGE)
        for m in range(len(chain.HAMSTRINGS)):
            self.demand[m].set_ydata(demand_pct[m])
            self.limits[m].set_ydata([limit_pct[m], limit_pct[m]])

        critical = result.muscle(result.critical_muscle)
        c = chain.HAMSTRINGS.index(result.critical_muscle)
        phase = critical.peak_demand_phase
        self.peak_line.set_xdata([phase, phase])
        self.peak_marker.set_data([phase], [demand_pct[c].max()])
        if self.shortfall is not None:
            self.shortfall.remove()
            self.shortfall = None
        if result.reserve_mm < 0:
            over = demand_pct[c] > limit_pct[c]
            self.shortfall = self.ax.fill_between(
                result.phase,
                limit_pct[c],
                demand_pct[c],
                where=over,
                facecolor="none",
                edgecolor="#000000",
                hatch="////",
                linewidth=0,
                interpolate=True,
                animated=True,
            )

        i = int(round(phase))
        thigh, knee, ankle = (
            float(result.thigh[i]),
            float(result.knee_flexion[i]),
            float(result.ankle_dorsiflexion[i]),
        )
        walk_pts = leg_points(thigh, knee, ankle)
        tight_pts = leg_points(thigh, max(knee, result.forced_knee_flexion), ankle)
        self.walk_leg.set_data(*walk_pts.T)
        self.tight_leg.set_data(*tight_pts.T)
        self.pelvis.set_xy(_rotate(PELVIS, result.pelvic_tilt))
        ischium = _rotate(ISCHIUM[None, :], result.pelvic_tilt)[0]
        insertion = tight_pts[1] + 0.12 * (tight_pts[2] - tight_pts[1]) + np.array([-0.06, 0.0])
        self.cable.set_data([ischium[0], insertion[0]], [ischium[1], insertion[1]])

        summary = chain_summary(result)
        alt = (
            "Left: line chart of hamstring length (% beyond resting length) over the gait cycle, one "
            "line per muscle (SM semimembranosus, ST semitendinosus, BFlh biceps femoris long head) "
            "with its own line style and marker, each muscle's limit from the "
            "clinical test drawn as a dotted horizontal line with the same marker at its ends, a star and "
            "dashed line at the peak, and cross-hatching where demand exceeds the limit. Right: "
            "schematic side view of the leg at that moment, normal walking dashed and grey, with "
            "this tightness solid and black. " + summary
        )
        return alt, summary

    def png(self) -> bytes:
        """Restore the cached background, draw the moving artists, encode as PNG."""
        self.canvas.restore_region(self.background)
        for artist in self.moving + ([self.shortfall] if self.shortfall is not None else []):
            artist.axes.draw_artist(artist)
        from hamfoot.plots.style import fast_png

        return fast_png(np.asarray(self.canvas.buffer_rgba())[..., :3])

    def html(self, result: WalkResult) -> str:
        """Update for ``result`` and return the accessible HTML figure (image, alt text, caption)."""
        from hamfoot.plots.style import png_html

        alt, summary = self.update(result)
        return png_html(self.png(), alt, summary)


def chain_summary(result: WalkResult) -> str:
    """One sentence for the explorer's figure, computed from a walk result."""
    m = result.muscle(result.critical_muscle)
    start = (
        f"With {tightness_words(result)}, a pelvic tilt of {result.pelvic_tilt:g}° and {result.speed} walking, "
        f"hamstring demand peaks at {m.peak_demand_phase:.0f}% of the cycle ({phase_name(m.peak_demand_phase)}), "
        f"the length of a {result.peak_demand_slr:.0f}° SLR"
    )
    if result.forced_knee_flexion > 0:
        return (
            f"{start}; the {MUSCLE_WORDS[m.muscle]} falls {-m.reserve_mm:.0f} mm short, so the knee "
            f"must stay bent about {result.forced_knee_flexion:.0f}° at that moment (modelled)."
        )
    return (
        f"{start}; the tightest muscle, the {MUSCLE_WORDS[m.muscle]}, still has {m.reserve_mm:.0f} mm "
        f"({m.reserve_pct:.1f}% of resting length) to spare, so the knee straightens as usual (modelled)."
    )
