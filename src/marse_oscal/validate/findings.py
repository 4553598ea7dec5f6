"""What validation produces: findings (layer, rule, severity, location) grouped per file, and the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """error fails the gate; warning and note inform."""

    error = "error"
    warning = "warning"
    note = "note"


class Layer(StrEnum):
    """The checking layers, in the order they run."""

    parse = "parse"
    schema = "schema"
    model = "model"
    integrity = "integrity"
    marse = "marse"


@dataclass(frozen=True)
class Finding:
    """One problem (or note) at one place in one file."""

    layer: Layer
    rule: str
    severity: Severity
    message: str
    pointer: str = ""
    line: int | None = None

    def location(self) -> str:
        parts = [f"line {self.line}" if self.line else "", self.pointer]
        return ", ".join(p for p in parts if p)


@dataclass
class FileReport:
    """Everything validation found in one file; `model` is the OSCAL root (None when unreadable)."""

    path: str
    format: str = ""
    model: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    @property
    def unreadable(self) -> bool:
        return any(f.layer is Layer.parse and f.severity is Severity.error for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)


@dataclass
class ValidationResult:
    """The run: one report per file. Exit 2 if any input was unreadable, 1 on errors, else 0."""

    files: list[FileReport] = field(default_factory=list)
    fail_on: Severity = Severity.error  # the lowest severity that fails the run (a PR gate may choose warning)

    @property
    def exit_code(self) -> int:
        if any(f.unreadable for f in self.files):
            return 2
        failing = (Severity.error,) if self.fail_on is Severity.error else (Severity.error, Severity.warning)
        if any(f.count(s) for f in self.files for s in failing):
            return 1
        return 0

    def totals(self) -> dict[str, int]:
        return {s.value: sum(f.count(s) for f in self.files) for s in Severity}

    def summary(self) -> str:
        totals = self.totals()
        verdict = {0: "valid", 1: "findings", 2: "unreadable input"}[self.exit_code]
        return (
            f"{len(self.files)} file(s): {totals['error']} error(s), {totals['warning']} warning(s), "
            f"{totals['note']} note(s) - {verdict}"
        )
