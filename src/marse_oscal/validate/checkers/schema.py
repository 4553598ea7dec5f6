"""Layer 2: the official OSCAL 1.2.3 schema (JSON Schema for JSON/YAML, XSD for XML), as located findings."""

from __future__ import annotations

from marse_oscal.content import ContentStore
from marse_oscal.oscal import OSCAL_VERSION
from marse_oscal.schema import MODELS, SchemaValidator
from marse_oscal.validate.findings import Finding, Layer, Severity
from marse_oscal.validate.parsers import ParsedDocument

MAX_SCHEMA_FINDINGS = 50
_KNOWN_DIFFERENCES = (
    (("merge", "combine"), "OSCAL 1.2 removed profile merge 'combine.method' (OSCAL 1.0/1.1 documents used it)"),
)


def _version_tuple(version: str) -> tuple[int, ...]:
    digits = []
    for piece in version.split("-", 1)[0].split("."):
        if not piece.isdigit():
            break
        digits.append(int(piece))
    return tuple(digits)


class SchemaChecker:
    """Turns schema violations into located findings, with version hints; schemas come from SchemaValidator."""

    def __init__(self, store: ContentStore) -> None:
        self.schemas = SchemaValidator(store)

    def check(self, document: ParsedDocument) -> list[Finding]:
        model = document.model
        if model not in MODELS:
            known = ", ".join(MODELS)
            return [
                Finding(Layer.schema, "SCHEMA-002", Severity.error, f"root {model!r} is not an OSCAL model ({known})")
            ]
        findings = _version_findings(document, model)
        if document.format == "xml":
            findings.extend(self._check_xml(document, model))
        else:
            findings.extend(self._check_json(document))
        return findings

    def _check_json(self, document: ParsedDocument) -> list[Finding]:
        findings = []
        violations = self.schemas.violations(document.data, limit=MAX_SCHEMA_FINDINGS + 1)
        for violation in violations[:MAX_SCHEMA_FINDINGS]:
            message = violation.message if len(violation.message) <= 300 else violation.message[:297] + "..."
            hint = next((h for keys, h in _KNOWN_DIFFERENCES if all(k in violation.pointer for k in keys)), None)
            if hint:
                message += f" [{hint}]"
            line = document.line_of(violation.pointer)
            findings.append(Finding(Layer.schema, "SCHEMA-001", Severity.error, message, violation.pointer, line))
        if len(violations) > MAX_SCHEMA_FINDINGS:
            findings.append(
                Finding(Layer.schema, "SCHEMA-001", Severity.note, f"stopped after {MAX_SCHEMA_FINDINGS} errors")
            )
        return findings

    def _check_xml(self, document: ParsedDocument, model: str) -> list[Finding]:
        schema = self.schemas.xsd(model)
        if schema.validate(document.xml_tree):
            return []
        findings = []
        for entry in list(schema.error_log)[:MAX_SCHEMA_FINDINGS]:
            message = " ".join(entry.message.replace("{http://csrc.nist.gov/ns/oscal/1.0}", "").split())
            findings.append(Finding(Layer.schema, "SCHEMA-001", Severity.error, message, entry.path or "", entry.line))
        return findings


def _version_findings(document: ParsedDocument, model: str) -> list[Finding]:
    root = document.data.get(model)
    metadata = root.get("metadata") if isinstance(root, dict) else None
    declared = metadata.get("oscal-version") if isinstance(metadata, dict) else None
    if not isinstance(declared, str) or not _version_tuple(declared):
        return []
    if _version_tuple(declared) < _version_tuple(OSCAL_VERSION):
        pointer = f"/{model}/metadata/oscal-version"
        return [
            Finding(
                Layer.schema,
                "SCHEMA-003",
                Severity.warning,
                f"declares OSCAL {declared}, validated against the OSCAL {OSCAL_VERSION} schema; "
                "errors may be version differences",
                pointer,
                document.line_of(pointer),
            )
        ]
    return []
