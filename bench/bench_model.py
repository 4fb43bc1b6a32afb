"""Benchmark the kinetic-chain model (issue 4): gait cycle < 1 ms, 1,000-value sweep < 50 ms, explorer move < 100 ms.

Run:  python bench/bench_model.py [--repeats N]

Times are medians and worst cases over repeated calls (each call timed on its own, after a
warm-up that loads the data tables). Exits 0 and prints a verdict line per target; it is a
measuring tool, not a test, so a slow run on a busy machine does not fail a build.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import hamfoot.chain as chain
from hamfoot.chain import demand


def _time(func, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and thread-CPU seconds per call, one sample per call.

    The CPU clock excludes time the OS spent running other processes, so on a shared 2-core
    machine it shows what the code costs while the wall clock shows what a user waits.
    """
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.thread_time()
        func()
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return wall, cpu


def _report(label: str, samples: tuple[list[float], list[float]], target_ms: float) -> None:
    wall, cpu = samples
    median = statistics.median(wall) * 1e3
    verdict = "OK" if median < target_ms else "SLOW"
    print(
        f"{label:<48} wall median {median:7.3f} ms, p95 {np.percentile(wall, 95) * 1e3:7.3f}, "
        f"worst {max(wall) * 1e3:7.3f} | cpu median {statistics.median(cpu) * 1e3:7.3f}, "
        f"worst {max(cpu) * 1e3:7.3f} | target < {target_ms:g} ms: {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2000, help="timed calls per case (default 2000)")
    args = parser.parse_args()
    repeats = max(args.repeats, 10)

    chain.walk(30)  # warm-up: loads and caches the CSV tables and the Fourier fit
    chain.sweep(np.linspace(0, 120, 1000))
    rng = np.random.default_rng(4)
    deficits = rng.uniform(0, 120, repeats)
    tilts = rng.uniform(-10, 25, repeats)
    it = iter(range(repeats))

    def one_walk() -> None:
        i = next(it)
        chain.walk(float(deficits[i]), pelvic_tilt=float(tilts[i]))

    def cycle_only() -> None:
        angles, hip, knee, lengths = demand._walking_demand(10.0, "normal")
        demand._peak(lengths, hip, knee)

    sweep_values = np.linspace(0, 120, 1000)

    print(f"hamfoot.chain benchmark — {repeats} calls per case (sweep: {max(repeats // 10, 10)}); "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    _report("walk(): one cycle, full result (101 × 3)", _time(one_walk, repeats), 1.0)
    it = iter(range(repeats))
    _report("walk(speed='fast')", _time(lambda: chain.walk(float(deficits[next(it)]), speed="fast"), repeats), 1.0)
    _report("cycle core: angles + 3 hamstring curves + peak", _time(cycle_only, repeats), 1.0)
    _report("sweep(): 1,000 AKE deficits", _time(lambda: chain.sweep(sweep_values), max(repeats // 10, 10)), 50.0)
    _report("sweep(slr=…): 1,000 SLR angles, fast",
            _time(lambda: chain.sweep(slr=sweep_values, speed="fast"), max(repeats // 10, 10)), 50.0)
    _bench_explorer(max(repeats // 20, 20))
    return 0


def _bench_explorer(moves: int) -> None:
    """Time the chain explorer's callback: set a control, wait for new figure and text (issue 4: < 100 ms)."""
    try:
        from hamfoot.widgets.chain_explorer import chain_explorer
    except ImportError as error:  # ipywidgets/matplotlib missing: model numbers above still stand
        print(f"chain explorer: skipped ({error})")
        return
    explorer = chain_explorer()
    rng = np.random.default_rng(8)
    plans = {
        "explorer: AKE deficit slider": (explorer.value, lambda: float(rng.integers(0, 121))),
        "explorer: pelvic tilt slider": (explorer.tilt, lambda: float(rng.integers(-10, 26))),
        "explorer: walking speed buttons": (explorer.speed, lambda: "fast" if explorer.speed.value == "normal" else "normal"),
    }
    for label, (control, next_value) in plans.items():
        _report(f"{label} (figure + text)", _time(lambda: _move(control, next_value), moves), 100.0)
    explorer.test.value = "slr"
    plan = (explorer.value, lambda: float(rng.integers(0, 121)))
    _report("explorer: SLR slider (figure + text)", _time(lambda: _move(*plan), moves), 100.0)


def _move(control, next_value) -> None:
    """Set a control to a new value (a real change, so the callback always runs)."""
    value = next_value()
    while value == control.value:
        value = next_value()
    control.value = value


if __name__ == "__main__":
    raise SystemExit(main())
