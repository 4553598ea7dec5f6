"""SSP benchmarks: demo assembly, and a synthetic plan ten times larger assembled and validated.

Prints figures; it is not a test. Run with the offline mirror set, e.g.
    MARSE_OSCAL_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_ssp.py
Targets (issue 5): demo assemble <= 2 s; the 10x plan (every rev4 control x 4 components) assembled and
validated <= 20 s with peak RSS <= 1 GB, cost growing linearly with controls x components. Each synthetic
size runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_foundation import timed, verdict
from marse_oscal.content import ContentStore
from marse_oscal.controls import family_of
from marse_oscal.files import dump_json, write_atomic
from marse_oscal.profile.resolve import resolve_profile
from marse_oscal.ssp.assemble import assemble

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "trestle-workspace" / "example-state-exchange"


def synthetic(workdir: Path, components: int) -> tuple[Path, Path]:
    """A profile of every rev4 control and inputs with `components` customer components per control."""
    store = ContentStore()
    (workdir / ".git").mkdir(exist_ok=True)
    profile = workdir / "all-rev4-profile.json"
    nist = store.manifest.get("nist-800-53-rev4-catalog").url
    ns = "https://marse-oscal.github.io/ns/oscal"
    profile.write_text(json.dumps({"profile": {
        "uuid": "5b5b5b5b-0000-4000-8000-000000000001",
        "metadata": {"title": "All rev4 controls", "last-modified": "2026-01-01T00:00:00Z", "version": "1",
                     "oscal-version": "1.2.3", "props": [{"name": "mars-e-version", "ns": ns, "value": "2.0"}]},
        "imports": [{"href": nist, "include-all": {}}], "merge": {"as-is": True}}}))  # fmt: skip
    catalog = resolve_profile(profile, store)
    inputs = workdir / f"inputs-{components}"
    system = (DEMO / "system.yaml").read_text()
    names = [f"Synthetic component {n}" for n in range(components)]
    extra = "".join(
        f"  - {{id: synthetic-{n}, type: software, title: {name}, description: Synthetic., status: operational}}\n"
        for n, name in enumerate(names)
    )  # fmt: skip
    write_atomic(inputs / "system.yaml", system.replace("components:\n", "components:\n" + extra, 1))
    for cid, control in catalog.controls().items():
        params = "".join(f'  {p["id"]}:\n    values: ["synthetic value"]\n' for p in control.get("params", []))
        body = "".join(f"### {name}\n\nSynthetic narrative for {cid} by {name}.\n\n" for name in names)
        header = f"x-trestle-set-params:\n{params}" if params else "x-trestle-set-params: {}\n"
        solution = "## What is the solution and how is it implemented?\n\n### This System\n\nSynthetic.\n\n"
        text = f"---\ncontrol-id: {cid}\n{header}---\n\n# {cid}\n\n{solution}{body}"
        write_atomic(inputs / "controls" / family_of(cid) / f"{cid}.md", text)
    return profile, inputs


def run_size(workdir: str, components: str) -> None:
    """Child process: assemble + validate one synthetic size, print JSON figures."""
    from marse_oscal.report.html import render_report
    from marse_oscal.validate import ValidationOptions, Validator

    profile, inputs = synthetic(Path(workdir), int(components))
    store = ContentStore()
    catalog = resolve_profile(profile, store)
    started = time.perf_counter()
    document = assemble(inputs, catalog, profile.name).document
    out = Path(workdir) / f"ssp-{components}.json"
    out.write_text(dump_json(document))
    assembled = time.perf_counter() - started
    report = Validator(ValidationOptions(jobs=1, profile=str(profile)), store).validate_file(out)
    total = time.perf_counter() - started
    requirements = document["system-security-plan"]["control-implementation"]["implemented-requirements"]
    by_components = sum(len(r["by-components"]) for r in requirements)
    errors = sum(f.severity.value == "error" for f in report.findings)
    started = time.perf_counter()
    html = render_report(document, catalog, {"error": errors})
    rendered = time.perf_counter() - started
    (Path(workdir) / f"report-{components}.html").write_text(html, encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"controls": len(requirements), "by_components": by_components, "assemble": assembled,
                      "total": total, "peak_mb": peak, "errors": errors, "report_s": rendered,
                      "report_mb": len(html.encode()) / 1e6}))  # fmt: skip


def browser_seconds(page: Path) -> float | None:
    """Wall time for headless Chromium to load the page and run its script (None without Chromium)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={profile}"]  # fmt: skip
        subprocess.run([*flags, "--dump-dom", "about:blank"], capture_output=True, check=False)
        started = time.perf_counter()
        subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, check=False)
        return time.perf_counter() - started


def main() -> None:
    store = ContentStore()
    store.sync()
    catalog = resolve_profile(store=store)
    median, _ = timed(lambda: assemble(DEMO, catalog, "profile.json"), runs=5)
    print(
        f"demo SSP assemble (351 controls, warm, in-process): {median:.3f} s  (target <= 2 s)  {verdict(median <= 2)}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for components in (1, 2, 4):
            child = subprocess.run([sys.executable, __file__, "--size", tmp, str(components)], check=True,
                                   capture_output=True, text=True)  # fmt: skip
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        for item in results:
            per = item["total"] / item["by_components"] * 1000
            print(f"synthetic plan: {item['controls']} controls, {item['by_components']} by-components: assemble "
                  f"{item['assemble']:.2f} s, assemble+validate {item['total']:.2f} s ({per:.3f} ms per by-component), "
                  f"peak RSS {item['peak_mb']:.0f} MB, {item['errors']} errors")  # fmt: skip
        big = results[-1]
        ok = big["total"] <= 20 and big["peak_mb"] <= 1024
        growth = (big["total"] / big["by_components"]) / (results[0]["total"] / results[0]["by_components"])
        browser = browser_seconds(Path(tmp) / "report-4.html")
        report_ok = big["report_s"] + (browser or 0) <= 3 and big["report_mb"] <= 10
        shown = f", headless Chromium load {browser:.2f} s" if browser is not None else " (no Chromium)"
        print(
            f"HTML report of the 10x plan: generated in {big['report_s']:.2f} s{shown}, {big['report_mb']:.1f} MB"
            f"  (targets <= 3 s, <= 10 MB)  {verdict(report_ok)}"
        )
        print(f"10x plan (every rev4 control x 4 components + This System): {big['total']:.2f} s, "
              f"{big['peak_mb']:.0f} MB  (targets <= 20 s, <= 1 GB)  {verdict(ok)}; cost per by-component at 4 "
              f"components vs 1: {growth:.2f}x (1.0 = linear)")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--size":
        run_size(sys.argv[2], sys.argv[3])
    else:
        main()
