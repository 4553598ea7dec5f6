"""Layer 2: the official OSCAL 1.2.3 schema (JSON Schema for JSON/YAML, XSD for XML).

Python's `re` cannot compile the schemas' ECMA-262 `\\p{..}` classes; jsonschema-rs implements ECMA
regex natively (and validates the full rev4 catalog in ~0.03 s). For `anyOf`/`oneOf` failures we report
the deepest failing location inside the best-matching branch, not the root of the alternative.
"""

from __future__ import annotations

from typing import Any

from marse_oscal.content import ContentStore
from marse_oscal.files import read_json
from marse_oscal.oscal import OSCAL_VERSION
from marse_oscal.schema import MODELS
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


def _deepest(error: Any) -> Any:
    """Follow anyOf/oneOf contexts to the most specific sub-error."""
    best = error
    context = getattr(error.kind, "context", None)
    while context:
        branches = [branch for branch in context if branch]
        if not branches:
            break
        deepest_in = [max(branch, key=lambda e: len(e.instance_path)) for branch in branches]
        candidate = max(deepest_in, key=lambda e: (len(e.instance_path), -len(e.message)))
        if len(candidate.instance_path) < len(best.instance_path):
            break
        best = candidate
        context = getattr(best.kind, "context", None)
    return best


def _pointer(path: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else ""


class SchemaChecker:
    """Compiles each model's JSON schema / XSD once per process."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        self._json: dict[str, Any] = {}
        self._xsd: dict[str, Any] = {}

    def json_validator(self, schema_name: str) -> Any:
        import jsonschema_rs

        if schema_name not in self._json:
            schema = read_json(self.store.path(self.store.manifest.schema(schema_name, "json").key))
            self._json[schema_name] = jsonschema_rs.validator_for(schema)
        return self._json[schema_name]

    def xsd(self, schema_name: str) -> Any:
        from lxml import etree

        if schema_name not in self._xsd:
            path = self.store.path(self.store.manifest.schema(schema_name, "xsd").key)
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            self._xsd[schema_name] = etree.XMLSchema(etree.parse(str(path), parser))
        return self._xsd[schema_name]

    def check(self, document: ParsedDocument) -> list[Finding]:
        model = document.model
        if model not in MODELS:
            known = ", ".join(MODELS)
            return [
                Finding(Layer.schema, "SCHEMA-002", Severity.error, f"root {model!r} is not an OSCAL model ({known})")
            ]
        findings = _version_findings(document, model)
        if document.format == "xml":
            findings.extend(self._check_xml(document, MODELS[model]))
        else:
            findings.extend(self._check_json(document, MODELS[model]))
        return findings

    def _check_json(self, document: ParsedDocument, schema_name: str) -> list[Finding]:
        findings = []
        for error in self.json_validator(schema_name).iter_errors(document.data):
            deepest = _deepest(error)
            pointer = _pointer(deepest.instance_path)
            message = " ".join(deepest.message.split())
            if len(message) > 300:
                message = message[:297] + "..."
            hint = next((h for keys, h in _KNOWN_DIFFERENCES if all(k in pointer for k in keys)), None)
            if hint:
                message += f" [{hint}]"
            findings.append(
                Finding(Layer.schema, "SCHEMA-001", Severity.error, message, pointer, document.line_of(pointer))
            )
            if len(findings) >= MAX_SCHEMA_FINDINGS:
                findings.append(
                    Finding(Layer.schema, "SCHEMA-001", Severity.note, f"stopped after {MAX_SCHEMA_FINDINGS} errors")
                )
                break
        return findings

    def _check_xml(self, document: ParsedDocument, schema_name: str) -> list[Finding]:
        schema = self.xsd(schema_name)
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
