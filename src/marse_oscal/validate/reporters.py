"""Rendering a ValidationResult: text (grouped by file), json, sarif (2.1.0) and junit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from marse_oscal import __version__
from marse_oscal.validate.findings import FileReport, Finding, Severity, ValidationResult
from marse_oscal.validate.rules import RULES

FORMATS = ("text", "json", "sarif", "junit")
MAX_NOTES_PER_RULE = 3
_COLOURS = {Severity.error: "\033[31m", Severity.warning: "\033[33m", Severity.note: "\033[36m"}


def render(result: ValidationResult, fmt: str, colour: bool | None = None) -> str:
    if fmt == "json":
        return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return to_junit(result)
    return to_text(result, sys.stdout.isatty() if colour is None else colour)


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "layer": finding.layer.value,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "pointer": finding.pointer,
        "line": finding.line,
    }


def to_json(result: ValidationResult) -> dict[str, Any]:
    return {
        "tool": f"marse-oscal {__version__}",
        "exit-code": result.exit_code,
        "totals": result.totals(),
        "files": [
            {"path": f.path, "format": f.format, "model": f.model, "findings": [_finding_dict(x) for x in f.findings]}
            for f in result.files
        ],
    }


def to_text(result: ValidationResult, colour: bool) -> str:
    reset = "\033[0m" if colour else ""
    lines = []
    for report in result.files:
        head = "unreadable" if report.unreadable else ("ok" if not report.count(Severity.error) else "FAILED")
        lines.append(f"{report.path}: {head}" + (f" ({report.model})" if report.model else ""))
        notes_shown: dict[str, int] = {}
        for finding in report.findings:
            if finding.severity is Severity.note:
                notes_shown[finding.rule] = notes_shown.get(finding.rule, 0) + 1
                if notes_shown[finding.rule] > MAX_NOTES_PER_RULE:
                    continue
            tint = _COLOURS[finding.severity] if colour else ""
            where = f" [{finding.location()}]" if finding.location() else ""
            label = f"{tint}{finding.severity.value}{reset} {finding.rule} {finding.layer.value}"
            lines.append(f"  {label}: {finding.message}{where}")
        for rule, count in notes_shown.items():
            if count > MAX_NOTES_PER_RULE:
                lines.append(f"  ... and {count - MAX_NOTES_PER_RULE} more {rule} note(s) (all in --format json)")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def _uri(path: str) -> str:
    candidate = Path(path)
    try:
        return candidate.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return candidate.as_posix()


def to_sarif(result: ValidationResult) -> dict[str, Any]:
    """SARIF 2.1.0, as GitHub code scanning expects it."""
    levels = {Severity.error: "error", Severity.warning: "warning", Severity.note: "note"}
    rules = [
        {
            "id": rule_id,
            "shortDescription": {"text": summary},
            "defaultConfiguration": {"level": levels[severity]},
            "help": {"text": f"{summary} See docs/validation.md of marse-oscal, rule {rule_id}."},
        }
        for rule_id, (severity, summary) in sorted(RULES.items())
    ]
    results = []
    for report in result.files:
        for finding in report.findings:
            region = {"startLine": finding.line} if finding.line else {"startLine": 1}
            results.append(
                {
                    "ruleId": finding.rule,
                    "level": levels[finding.severity],
                    "message": {"text": finding.message + (f" ({finding.pointer})" if finding.pointer else "")},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": {"uri": _uri(report.path)}, "region": region}}
                    ],
                    "properties": {"layer": finding.layer.value, "jsonPointer": finding.pointer},
                }
            )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "marse-oscal",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def _testcase(report: FileReport) -> str:
    name = quoteattr(report.path)
    errors = [f for f in report.findings if f.severity is Severity.error]
    if not errors:
        return f'    <testcase classname="marse-oscal.validate" name={name}/>'
    body = "\n".join(f"{f.rule} {f.layer.value} {f.location()}: {f.message}" for f in errors)
    message = quoteattr(f"{len(errors)} error(s)")
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'    <testcase classname="marse-oscal.validate" name={name}>\n'
        f"      <failure message={message}>{escaped}</failure>\n    </testcase>"
    )


def to_junit(result: ValidationResult) -> str:
    failures = sum(1 for f in result.files if f.count(Severity.error))
    cases = "\n".join(_testcase(f) for f in result.files)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="marse-oscal validate" tests="{len(result.files)}" failures="{failures}">\n'
        f'  <testsuite name="marse-oscal validate" tests="{len(result.files)}" failures="{failures}">\n'
        f"{cases}\n  </testsuite>\n</testsuites>\n"
    )
