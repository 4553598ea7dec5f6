"""Validation benchmarks: marse-oscal validate next to `trestle validate` on the same files, one run.

Prints figures; it is not a test. Run with the offline mirror set, e.g.
    MARSE_OSCAL_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_validate.py
Targets (issue 3): full rev4 catalog schema check <= 0.5 s; MARS-E SSP all layers <= 1.0 s warm; at least
3x faster than `trestle validate` on the same file while checking more.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_foundation import timed, verdict
from marse_oscal.content import ContentStore
from marse_oscal.files import dump_json
from marse_oscal.profile.resolve import resolve_profile
from marse_oscal.validate import Layer, ValidationOptions, Validator

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def trestle_workspace(tmp: Path, catalog: Path) -> Path:
    """A trestle workspace holding `catalog` where `trestle validate -f` expects a catalog."""
    subprocess.run([str(BIN / "trestle"), "init"], cwd=tmp, check=True, capture_output=True)
    target = tmp / "catalogs" / "bench" / "catalog.json"
    target.parent.mkdir(parents=True)
    shutil.copy(catalog, target)
    return target


def trestle_in_process(path: Path):
    """trestle's own validate: load the model, run every registered validator."""
    import argparse

    import trestle.core.validator_factory as vfact
    import trestle.oscal.catalog as catalog_model

    validator = vfact.validator_factory.get(argparse.Namespace(mode="all"))

    def run() -> None:
        model = catalog_model.Catalog.model_validate(json.loads(path.read_text())["catalog"])
        validator.model_is_valid(model, True, None)

    return run


def main() -> None:
    store = ContentStore()
    store.sync()
    rev4 = store.path("nist-800-53-rev4-catalog")
    schema_only = Validator(ValidationOptions(layers=frozenset({Layer.parse, Layer.schema}), jobs=1), store)
    median, _ = timed(lambda: schema_only.validate_file(rev4), runs=5)
    print(
        f"rev4 catalog (5.6 MB), parse + official schema: {median:.3f} s  (target <= 0.5 s)  {verdict(median <= 0.5)}"
    )

    all_layers = Validator(ValidationOptions(jobs=1), store)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        resolved = tmp_path / "mars-e-2.0-resolved-catalog.json"
        resolved.write_text(dump_json(resolve_profile(store=store).document))
        ours, _ = timed(lambda: all_layers.validate_file(resolved), runs=5)
        report = all_layers.validate_file(resolved)
        theirs, _ = timed(trestle_in_process(resolved), runs=5)
        print(
            f"resolved MARS-E catalog, all layers (marse-oscal, warm, in-process): {ours:.3f} s, "
            f"{len(report.findings)} finding(s)"
        )
        print(f"resolved MARS-E catalog, `trestle validate` logic (warm, in-process): {theirs:.3f} s")
        print(
            f"  ratio trestle/marse-oscal in-process: {theirs / ours:.2f}x  (target >= 3x)  "
            f"{verdict(theirs >= 3 * ours)}"
        )

        target = trestle_workspace(tmp_path, resolved)
        cli_ours, _ = timed(
            lambda: subprocess.run([str(BIN / "marse-oscal"), "validate", str(resolved)], capture_output=True), 3
        )
        cli_theirs, _ = timed(
            lambda: subprocess.run([str(BIN / "trestle"), "validate", "-f", str(target)], cwd=tmp_path,
                                   capture_output=True), 3
        )  # fmt: skip
        print(
            f"command line, same file: marse-oscal validate {cli_ours:.3f} s, trestle validate {cli_theirs:.3f} s, "
            f"ratio {cli_theirs / cli_ours:.1f}x  {verdict(cli_theirs >= 3 * cli_ours)}"
        )

    demo_ssp(store)


def demo_ssp(store: ContentStore) -> None:
    """The embedded demo SSP: all layers warm, and both command lines next to each other."""
    from marse_oscal.ssp.assemble import assemble

    out = REPO / "out" / "bench-validate"
    ssp = out / "ssp.json"
    catalog = resolve_profile(store=store)
    ssp.parent.mkdir(parents=True, exist_ok=True)
    demo = REPO / "trestle-workspace" / "example-state-exchange"
    ssp.write_text(dump_json(assemble(demo, catalog, "../../profiles/mars-e-2.0/profile.json").document))
    try:
        validator = Validator(ValidationOptions(jobs=1), store)
        median, _ = timed(lambda: validator.validate_file(ssp), runs=5)
        errors = sum(f.severity.value == "error" for f in validator.validate_file(ssp).findings)
        print(
            f"demo SSP (351 controls), all layers incl. MARS-E rules, warm: {median:.3f} s, {errors} errors"
            f"  (target <= 1.0 s)  {verdict(median <= 1.0)}"
        )
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([str(BIN / "trestle"), "init"], cwd=tmp, check=True, capture_output=True)
            target = Path(tmp) / "system-security-plans" / "demo" / "system-security-plan.json"
            target.parent.mkdir(parents=True)
            shutil.copy(ssp, target)
            ours_cmd = [str(BIN / "marse-oscal"), "validate", str(ssp)]
            theirs_cmd = [str(BIN / "trestle"), "validate", "-f", str(target)]
            ours, _ = timed(lambda: subprocess.run(ours_cmd, capture_output=True), 3)
            outcome = subprocess.run(theirs_cmd, cwd=tmp, capture_output=True, text=True).returncode
            theirs, _ = timed(lambda: subprocess.run(theirs_cmd, cwd=tmp, capture_output=True), 3)
        said = "ok" if outcome == 0 else "exit 1: it cannot resolve the import-profile from its workspace"
        print(
            f"demo SSP, command line: marse-oscal validate {ours:.3f} s (all layers), trestle validate "
            f"{theirs:.3f} s ({said}); ratio {theirs / ours:.1f}x  {verdict(theirs >= 3 * ours)}"
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
