"""The official OSCAL schemas (pinned content), compiled once: JSON Schema via jsonschema-rs, XSD via lxml.

The JSON schemas' patterns use ECMA-262 classes such as `\\p{L}` that Python's `re` rejects; jsonschema-rs
implements ECMA regex natively and is ~200x faster than `jsonschema` with a `regex` shim on the rev4
catalog. For `anyOf`/`oneOf` failures a violation names the deepest failing location inside the best
matching branch, not the root of the alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marse_oscal.content import ContentStore
from marse_oscal.files import read_json
from marse_oscal.oscal import pointer_token

MODELS = {
    "catalog": "catalog",
    "profile": "profile",
    "component-definition": "component",
    "system-security-plan": "ssp",
    "assessment-plan": "assessment-plan",
    "assessment-results": "assessment-results",
    "plan-of-action-and-milestones": "poam",
    "mapping-collection": "mapping",
}


@dataclass(frozen=True)
class SchemaViolation:
    """One schema error: JSON pointer into the document and the validator's message."""

    pointer: str
    message: str


def deepest_error(error: Any) -> Any:
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


def json_pointer(path: Any) -> str:
    return "/" + "/".join(pointer_token(p) for p in path) if path else ""


class SchemaValidator:
    """Compiles each model's JSON schema and XSD once and validates documents against them."""

    def __init__(self, store: ContentStore | None = None) -> None:
        self.store = store or ContentStore()
        self._json: dict[str, Any] = {}
        self._xsd: dict[str, Any] = {}

    def json_validator(self, model: str) -> Any:
        """The compiled JSON schema for an OSCAL root key (`system-security-plan`, ...)."""
        import jsonschema_rs

        if model not in self._json:
            schema = read_json(self.store.path(self.store.manifest.schema(MODELS[model], "json").key))
            self._json[model] = jsonschema_rs.validator_for(schema)
        return self._json[model]

    def xsd(self, model: str) -> Any:
        """The compiled XML Schema for an OSCAL root element."""
        from lxml import etree

        if model not in self._xsd:
            path = self.store.path(self.store.manifest.schema(MODELS[model], "xsd").key)
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            self._xsd[model] = etree.XMLSchema(etree.parse(str(path), parser))
        return self._xsd[model]

    def violations(self, document: dict[str, Any], limit: int = 50) -> list[SchemaViolation]:
        """Errors of `document` against the JSON schema of its model (its root key), each at its deepest location."""
        model = next((key for key in document if key in MODELS), None)
        if model is None:
            return [SchemaViolation("", f"root key is not an OSCAL model ({', '.join(MODELS)})")]
        found = []
        for error in self.json_validator(model).iter_errors(document):
            deepest = deepest_error(error)
            found.append(SchemaViolation(json_pointer(deepest.instance_path), " ".join(deepest.message.split())))
            if len(found) >= limit:
                break
        return found
