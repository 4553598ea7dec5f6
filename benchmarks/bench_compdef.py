"""Component-definition benchmark: importing the Azure Government initiative (target <= 2 s).

Prints figures; it is not a test. Run with the offline mirror set, e.g.
    MARSE_OSCAL_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_compdef.py
Measured cold for the content (fresh process, definitions read and sha256-checked from the cache) and warm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_foundation import timed, verdict
from marse_oscal.compdef.sources import build_component
from marse_oscal.content import ContentStore
from marse_oscal.profile.resolve import resolve_profile

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    store = ContentStore()
    store.sync()
    folder = REPO / "component-definitions" / "azure-government"
    profile = resolve_profile(store=store)
    started = time.perf_counter()
    built = build_component(folder, store, profile)
    first = time.perf_counter() - started
    warm, _ = timed(lambda: build_component(folder, ContentStore(store.settings), profile), runs=3)
    definitions = len({r for r in built.data.rules} | set(built.data.resources))
    print(
        f"Azure Government import, in-process, first run: {first:.3f} s; warm: {warm:.3f} s "
        f"({len(built.data.requirements)} MARS-E controls, {definitions} policy definitions read)"
        f"  (target <= 2 s)  {verdict(first <= 2.0)}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        command = [str(Path(sys.executable).parent / "marse-oscal"), "compdef", "import-azure-policy",
                   "--component", "azure-government", "--initiative", "azure-policy-nist-r4-azure-government",
                   "-o", str(Path(tmp) / "ag.json")]  # fmt: skip
        cli, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True), runs=3)
    print(f"Azure Government import, command line: {cli:.3f} s  (target <= 2 s)  {verdict(cli <= 2.0)}")


if __name__ == "__main__":
    main()
