"""Validation against the official OSCAL JSON schemas (pinned content), with jsonschema-rs.

The schemas' patterns use ECMA-262 classes such as `\\p{L}` that Python's `re` rejects; jsonschema-rs
implements ECMA regex natively and is ~200x faster than `jsonschema` with a `regex` shim on the rev4 catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marse_oscal.content import ContentStore
from marse_oscal.files import read_json

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


class SchemaValidator:
    """Compiles each model's schema once and validates documents against it."""

    def __init__(self, store: ContentStore | None = None) -> None:
        self.store = store or ContentStore()
        self._compiled: dict[str, Any] = {}

    def _validator(self, model: str) -> Any:
        import jsonschema_rs

        if model not in self._compiled:
            schema = read_json(self.store.path(self.store.manifest.schema(MODELS[model]).key))
            self._compiled[model] = jsonschema_rs.validator_for(schema)
        return self._compiled[model]

    def violations(self, document: dict[str, Any], limit: int = 50) -> list[SchemaViolation]:
        """Errors of `document` against the schema of its model (its root key)."""
        model = next((key for key in document if key in MODELS), None)
        if model is None:
            return [SchemaViolation("", f"root key is not an OSCAL model ({', '.join(MODELS)})")]
        found = []
        for error in self._validator(model).iter_errors(document):
            pointer = "/" + "/".join(str(p) for p in error.instance_path)
            found.append(SchemaViolation(pointer, " ".join(error.message.split())[:300]))
            if len(found) >= limit:
                break
        return found
