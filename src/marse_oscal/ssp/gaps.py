"""`ssp gaps`: the author's to-do list, by family."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from marse_oscal.controls import control_label, family_of
from marse_oscal.ssp.assemble import Assembly
from marse_oscal.ssp.inputs import SYSTEM_FILE


@dataclass
class Gaps:
    """What is missing, per family, plus the TODO lines left in system.yaml."""

    families: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    system_todos: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(v) for row in self.families.values() for v in row.values()) + len(self.system_todos)

    def as_dict(self) -> dict:
        return {"total": self.total, "families": self.families, "system-yaml": self.system_todos}


def find_gaps(directory: Path, assembly: Assembly) -> Gaps:
    gaps = Gaps()

    def add(cid: str, kind: str, item: str) -> None:
        row = gaps.families.setdefault(
            family_of(cid).upper(), {"no-file": [], "narrative": [], "parameter": [], "justification": []}
        )
        row[kind].append(item)

    for cid in assembly.missing_files:
        add(cid, "no-file", control_label(cid))
    for cid in assembly.missing_narratives:
        add(cid, "narrative", control_label(cid))
    for cid in assembly.missing_justifications:
        add(cid, "justification", control_label(cid))
    for cid, params in assembly.missing_params.items():
        for param in params:
            add(cid, "parameter", param)
    for number, line in enumerate((directory / SYSTEM_FILE).read_text(encoding="utf-8").splitlines(), start=1):
        content = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if "TODO" in content:
            gaps.system_todos.append(f"{SYSTEM_FILE}:{number}: {line.strip()}")
    gaps.families = dict(sorted(gaps.families.items()))
    return gaps
