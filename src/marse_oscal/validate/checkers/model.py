"""Layer 3: load the document with compliance-trestle's OSCAL models.

The schema layer already proves structure; this layer proves the document is usable by trestle-based
tooling (our SSP assembly included), whose pydantic models apply their own type coercions and
validators. It runs only on schema-valid JSON/YAML: trestle reads no XML, and on a schema-invalid
document it would only repeat the schema errors.
"""

from __future__ import annotations

import importlib
from typing import Any

from marse_oscal.validate.findings import Finding, Layer, Severity
from marse_oscal.validate.parsers import ParsedDocument

TRESTLE_MODELS = {
    "catalog": ("trestle.oscal.catalog", "Catalog"),
    "profile": ("trestle.oscal.profile", "Profile"),
    "component-definition": ("trestle.oscal.component", "ComponentDefinition"),
    "system-security-plan": ("trestle.oscal.ssp", "SystemSecurityPlan"),
    "assessment-plan": ("trestle.oscal.assessment_plan", "AssessmentPlan"),
    "assessment-results": ("trestle.oscal.assessment_results", "AssessmentResults"),
    "plan-of-action-and-milestones": ("trestle.oscal.poam", "PlanOfActionAndMilestones"),
}


def _model_class(model: str) -> Any:
    module, name = TRESTLE_MODELS[model]
    return getattr(importlib.import_module(module), name)


def check_model(document: ParsedDocument) -> list[Finding]:
    """Findings from trestle's model validation (pointer per pydantic error location)."""
    from pydantic import ValidationError

    model = document.model
    if model not in TRESTLE_MODELS:
        return []
    try:
        _model_class(model).model_validate(document.data[model])
    except ValidationError as exc:
        findings = []
        for error in exc.errors()[:20]:
            location = [str(p) for p in error.get("loc", ()) if not str(p).startswith("function-")]
            pointer = "/" + "/".join([model, *location])
            message = f"compliance-trestle model: {' '.join(str(error.get('msg', 'invalid')).split())}"
            findings.append(
                Finding(Layer.model, "MODEL-001", Severity.error, message, pointer, document.line_of(pointer))
            )
        return findings
    except (ValueError, TypeError) as exc:
        message = f"compliance-trestle cannot load the document: {' '.join(str(exc).split())[:300]}"
        return [Finding(Layer.model, "MODEL-001", Severity.error, message, f"/{model}")]
    return []
