"""Foundation benchmarks: cold `--help`, and MARS-E profile resolution next to compliance-trestle.

Prints figures; it is not a test. Run with the offline mirror set, e.g.
    MARSE_OSCAL_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_foundation.py
Targets (issue 2): --help <= 0.5 s; MARS-E resolution <= 1.0 s and no slower per control than trestle
resolving NIST's rev4 Moderate profile in the same run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from marse_oscal.content import ContentStore
from marse_oscal.profile.resolve import default_profile_path, resolve_profile

HELP_TARGET_S = 0.5
RESOLVE_TARGET_S = 1.0


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and best wall time of `runs` calls, after one warm-up call."""
    action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), min(samples)


def cold_help(runs: int = 7) -> tuple[float, float]:
    script = Path(sys.executable).with_name("marse-oscal")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "marse_oscal"]
    return timed(lambda: subprocess.run([*command, "--help"], check=True, capture_output=True), runs)


def trestle_moderate(store: ContentStore, workdir: Path) -> Callable[[], int]:
    """A callable resolving NIST's Moderate profile with trestle, imports pointed at the local catalog."""
    from trestle.core.profile_resolver import ProfileResolver

    profile = json.loads(store.path("nist-800-53-rev4-moderate-profile").read_text())
    profile["profile"]["imports"][0]["href"] = str(store.path("nist-800-53-rev4-catalog"))
    (workdir / ".trestle").mkdir()
    path = workdir / "moderate.json"
    path.write_text(json.dumps(profile))

    def run() -> int:
        catalog = ProfileResolver.get_resolved_profile_catalog(workdir, path)
        return sum(len(list(_walk(g.controls or []))) for g in catalog.groups or [])

    return run


def _walk(controls: list) -> list:
    result = []
    for control in controls:
        result.append(control)
        result.extend(_walk(control.controls or []))
    return result


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    store = ContentStore()
    store.sync()
    help_median, help_best = cold_help()
    print(
        f"cold `marse-oscal --help`: median {help_median:.3f} s, best {help_best:.3f} s  (target <= {HELP_TARGET_S} s)"
        f"  {verdict(help_median <= HELP_TARGET_S)}"
    )

    profile = default_profile_path()
    marse_count = len(resolve_profile(profile, store).controls())
    marse_median, marse_best = timed(lambda: resolve_profile(profile, store), runs=10)
    moderate_path = store.path("nist-800-53-rev4-moderate-profile")
    ours_mod_median, _ = timed(lambda: resolve_profile(moderate_path, store), runs=10)
    with tempfile.TemporaryDirectory() as tmp:
        trestle_run = trestle_moderate(store, Path(tmp))
        moderate_count = trestle_run()
        trestle_median, trestle_best = timed(trestle_run, runs=5)

    marse_per = marse_median / marse_count * 1000
    trestle_per = trestle_median / moderate_count * 1000
    print(
        f"MARS-E 2.0 resolution (marse-oscal, warm, in-process): median {marse_median:.3f} s, best {marse_best:.3f} s,"
        f" {marse_count} controls, {marse_per:.3f} ms/control  (target <= {RESOLVE_TARGET_S} s)"
        f"  {verdict(marse_median <= RESOLVE_TARGET_S)}"
    )
    print(
        f"NIST rev4 Moderate resolution (compliance-trestle, warm, in-process): median {trestle_median:.3f} s,"
        f" best {trestle_best:.3f} s, {moderate_count} controls, {trestle_per:.3f} ms/control"
    )
    print(f"NIST rev4 Moderate resolution (marse-oscal, warm, in-process): median {ours_mod_median:.3f} s")
    print(
        f"per control, MARS-E (marse-oscal) vs Moderate (trestle): {marse_per:.3f} vs {trestle_per:.3f} ms"
        f"  {verdict(marse_per <= trestle_per)}"
    )


if __name__ == "__main__":
    main()
