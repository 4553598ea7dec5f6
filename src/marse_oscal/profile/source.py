"""Loads the human-readable profile sources (`profiles/<name>/source/*.yaml`) into typed records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marse_oscal.controls import control_id
from marse_oscal.errors import InputError
from marse_oscal.files import read_yaml


@dataclass(frozen=True)
class SupplementalControl:
    """A control of the supplemental catalog, with its summary (never the official text)."""

    oscal_id: str
    label: str
    title: str
    summary: str
    param_labels: tuple[str, ...]
    enhancements: tuple[SupplementalControl, ...] = ()


@dataclass(frozen=True)
class SupplementalFamily:
    """A group of the supplemental catalog and the publication its controls come from."""

    id: str
    title: str
    source: str
    controls: tuple[SupplementalControl, ...]


@dataclass(frozen=True)
class Exclusion:
    """A control the crosswalk lists but the profile deliberately leaves out, with the reason."""

    oscal_id: str
    label: str
    reason: str


@dataclass(frozen=True)
class ProfileSource:
    """Everything the generator needs, read from the source folder."""

    directory: Path
    metadata: dict[str, Any]
    selection: tuple[str, ...]
    exclusions: tuple[Exclusion, ...]
    sources: dict[str, dict[str, str]]
    families: tuple[SupplementalFamily, ...] = field(default=())
    facts: dict[str, Any] = field(default_factory=dict)

    def supplemental_ids(self) -> dict[str, str]:
        """Each supplemental control id (enhancements too) mapped to its source key."""
        result: dict[str, str] = {}
        for family in self.families:
            stack = list(family.controls)
            while stack:
                control = stack.pop()
                result[control.oscal_id] = family.source
                stack.extend(control.enhancements)
        return result


def _require(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise InputError(f"{where}: missing required key {key!r}")
    return mapping[key]


def _control(raw: dict[str, Any], where: str) -> SupplementalControl:
    label = str(_require(raw, "label", where))
    here = f"{where} {label}"
    return SupplementalControl(
        oscal_id=control_id(label),
        label=label,
        title=str(_require(raw, "title", here)),
        summary=" ".join(str(_require(raw, "summary", here)).split()),
        param_labels=tuple(str(_require(p, "label", here)) for p in raw.get("params", ())),
        enhancements=tuple(_control(e, here) for e in raw.get("enhancements", ())),
    )


def load_profile_source(directory: Path) -> ProfileSource:
    """Read `metadata.yaml`, `selection.yaml` and `supplemental.yaml` from one source folder."""
    metadata = read_yaml(directory / "metadata.yaml")
    selection_doc = read_yaml(directory / "selection.yaml")
    supplemental = read_yaml(directory / "supplemental.yaml")
    sel_where = str(directory / "selection.yaml")
    families = _require(selection_doc, "families", sel_where)
    selection = tuple(control_id(str(label)) for labels in families.values() for label in labels)
    duplicates = sorted({i for i in selection if selection.count(i) > 1})
    if duplicates:
        raise InputError(f"{sel_where}: controls listed twice: {', '.join(duplicates)}")
    exclusions = tuple(
        Exclusion(
            oscal_id=control_id(str(_require(e, "control", sel_where))),
            label=str(e["control"]),
            reason=" ".join(str(_require(e, "reason", sel_where)).split()),
        )
        for e in selection_doc.get("excluded", ())
    )
    sup_where = str(directory / "supplemental.yaml")
    return ProfileSource(
        directory=directory,
        metadata=metadata,
        selection=selection,
        exclusions=exclusions,
        sources=_require(supplemental, "sources", sup_where),
        facts=selection_doc.get("facts", {}),
        families=tuple(
            SupplementalFamily(
                id=str(_require(f, "id", sup_where)),
                title=str(_require(f, "title", sup_where)),
                source=str(_require(f, "source", sup_where)),
                controls=tuple(_control(c, sup_where) for c in _require(f, "controls", sup_where)),
            )
            for f in _require(supplemental, "families", sup_where)
        ),
    )
