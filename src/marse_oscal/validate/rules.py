"""Every rule id the validator can emit, with its severity and one line of documentation.

docs/validation.md lists the same ids; a test keeps the two in step.
"""

from __future__ import annotations

from marse_oscal.validate.checkers.marse import RULES as MARSE_RULES
from marse_oscal.validate.findings import Severity

RULES: dict[str, tuple[Severity, str]] = {
    "PARSE-001": (Severity.error, "The file is not well-formed JSON, YAML or XML."),
    "PARSE-002": (Severity.error, "The file is empty."),
    "PARSE-003": (Severity.error, "The file is binary, not a text document."),
    "PARSE-004": (Severity.error, "The file is not valid UTF-8."),
    "PARSE-005": (Severity.error, "The document is nested deeper than the limit (256 levels)."),
    "PARSE-006": (Severity.error, "XML declares a DOCTYPE or entities (refused: XXE and entity bombs)."),
    "PARSE-007": (Severity.error, "YAML uses too many aliases (refused: alias bombs)."),
    "PARSE-008": (Severity.error, "The file is larger than --max-bytes."),
    "PARSE-009": (Severity.error, "The file is missing or cannot be read."),
    "SCHEMA-001": (Severity.error, "The document violates the official OSCAL 1.2.3 JSON schema or XSD."),
    "SCHEMA-002": (Severity.error, "The root is not an OSCAL model."),
    "SCHEMA-003": (Severity.warning, "The document declares an older OSCAL version than the schema used."),
    "MODEL-001": (Severity.error, "compliance-trestle's OSCAL models reject the document."),
    "INTEGRITY-001": (Severity.error, "A UUID is used more than once in the document."),
    "INTEGRITY-002": (Severity.error, "A *-uuid reference names nothing of that kind in the document."),
    "INTEGRITY-003": (Severity.error, "A role-id is not in metadata.roles (a warning outside responsible-parties)."),
    "INTEGRITY-004": (Severity.error, "A #fragment href names no uuid or id in the document."),
    "INTEGRITY-005": (Severity.warning, "Related-control links point at controls not in the document."),
    "INTEGRITY-006": (Severity.note, "A reference into another document (leveraged or imported SSP) is unchecked."),
    "INTEGRITY-007": (Severity.error, "Prose inserts a parameter the catalog does not define."),
    "INTEGRITY-009": (Severity.warning, "An import-profile or source href cannot be followed."),
    "INTEGRITY-010": (Severity.error, "An implemented-requirement names a control not in the profile or catalog."),
    "INTEGRITY-011": (Severity.error, "A statement-id is not a part of its control."),
    "INTEGRITY-012": (Severity.error, "A set-parameter names a parameter not in the profile or catalog."),
    **{rule.id: (rule.severity, rule.summary) for rule in MARSE_RULES.values()},
}  # fmt: skip
