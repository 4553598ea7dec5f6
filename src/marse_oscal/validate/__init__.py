"""`marse-oscal validate`: loaders -> parsers -> checkers -> reporters -> result (after check-jsonschema)."""

from marse_oscal.validate.findings import FileReport, Finding, Layer, Severity, ValidationResult
from marse_oscal.validate.pipeline import ValidationOptions, Validator, validate_paths

__all__ = [
    "FileReport",
    "Finding",
    "Layer",
    "Severity",
    "ValidationOptions",
    "ValidationResult",
    "Validator",
    "validate_paths",
]
