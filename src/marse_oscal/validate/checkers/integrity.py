"""Layer 4: integrity. UUIDs unique, every reference resolves, control/statement/parameter ids exist.

References are found by OSCAL's naming convention, so the layer covers every model: a key `X-uuid` or
`X-uuids` refers to an object with a `uuid` in a list named after X (`component-uuid` -> `components`),
`role-id(s)` to `metadata.roles`, an `href` of `#uuid` to a back-matter resource, and a
`leveraged-authorization-uuid` prop to `leveraged-authorizations`. A reference that may point into
another document (a leveraging SSP's `provided-uuid`, anything in a POA&M or assessment that imports an
SSP) is reported as an unresolved external reference, and checked when that document is given with
`--with`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marse_oscal.controls import sort_key
from marse_oscal.hrefs import HrefError, HrefLocator
from marse_oscal.oscal import PARAM_INSERT, as_dict, dicts, indexed
from marse_oscal.profile.resolve import ResolvedCatalog, resolve_profile
from marse_oscal.validate.findings import Finding, Layer, Severity
from marse_oscal.validate.parsers import ParsedDocument

_PLURALS = {"party": "parties", "responsibility": "responsibilities", "activity": "activities",
            "provided": "provided", "inherited": "inherited", "satisfied": "satisfied"}  # fmt: skip
_ALWAYS_EXTERNAL_CAPABLE = {"provided", "responsibility", "inherited", "satisfied"}
CONTROL_RELATIONS = {"related", "required", "incorporated-into", "moved-to"}


def _container(kind: str) -> str:
    return _PLURALS.get(kind, kind + "s")


@dataclass(frozen=True)
class Reference:
    kind: str  # component, party, role, resource, ...
    value: str
    pointer: str


@dataclass
class DocumentIndex:
    """Definitions (uuid -> containers it appears in) and references of one document."""

    uuids: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)

    def defines(self, kind: str, value: str) -> bool:
        if kind == "role":
            return value in self.roles
        entries = self.uuids.get(value, ())
        if kind in ("fragment", "control-link"):
            return bool(entries) or value in self.ids
        container = _container(kind)
        return any(c == container for c, _ in entries) or (bool(entries) and not _is_known_kind(kind))


_KNOWN_KINDS = {
    "component", "party", "user", "inventory-item", "location", "leveraged-authorization", "provided",
    "responsibility", "observation", "risk", "task", "activity", "finding", "fragment", "control-link",
}  # fmt: skip


def _is_known_kind(kind: str) -> bool:
    return kind in _KNOWN_KINDS


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def index_document(data: dict[str, Any]) -> DocumentIndex:
    """One iterative pass, in document order, collecting definitions and references."""
    index = DocumentIndex()
    stack: list[tuple[Any, str, str]] = [(data, "", "")]
    while stack:
        value, pointer, container = stack.pop()
        if isinstance(value, list):
            stack.extend((value[n], f"{pointer}/{n}", container) for n in range(len(value) - 1, -1, -1))
            continue
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("uuid"), str):
            index.uuids.setdefault(value["uuid"], []).append((container, pointer))
        if isinstance(value.get("id"), str):
            index.ids.add(value["id"])
        children = []
        for key, item in value.items():
            child = f"{pointer}/{_escape(key)}"
            _collect_reference(index, value, key, item, child)
            if isinstance(item, dict | list):
                children.append((item, child, key))
        stack.extend(reversed(children))
    return index


def _collect_reference(index: DocumentIndex, owner: dict[str, Any], key: str, item: Any, pointer: str) -> None:
    values = item if isinstance(item, list) else [item]
    strings = [(v, f"{pointer}/{n}" if isinstance(item, list) else pointer) for n, v in enumerate(values)]
    strings = [(v, p) for v, p in strings if isinstance(v, str)]
    if key in ("role-id", "role-ids"):
        index.references.extend(Reference("role", v, p) for v, p in strings)
    elif key.endswith(("-uuid", "-uuids")) and key not in ("uuid",):
        kind = key.rsplit("-uuid", 1)[0]
        index.references.extend(Reference(kind, v, p) for v, p in strings)
    elif key == "href" and isinstance(item, str) and item.startswith("#"):
        kind = "control-link" if str(owner.get("rel")) in CONTROL_RELATIONS else "fragment"
        index.references.append(Reference(kind, item[1:], pointer))
    elif key == "value" and owner.get("name") == "leveraged-authorization-uuid" and isinstance(item, str):
        index.references.append(Reference("leveraged-authorization", item, pointer))


def _role_ids(data: dict[str, Any], model: str) -> set[str]:
    metadata = as_dict(as_dict(data.get(model)).get("metadata"))
    return {r["id"] for r in dicts(metadata.get("roles")) if isinstance(r.get("id"), str)}


@dataclass
class IntegrityContext:
    """What the integrity layer shares across the files of one run."""

    locator: HrefLocator
    companions: list[DocumentIndex] = field(default_factory=list)
    document_catalogs: dict[str, ResolvedCatalog] = field(default_factory=dict)
    _catalogs: dict[str, ResolvedCatalog] = field(default_factory=dict)

    def resolved(self, path: Path) -> ResolvedCatalog:
        """Resolved catalog (a profile is resolved, a catalog taken as it is), cached per file."""
        key = str(path)
        if key not in self._catalogs:
            from marse_oscal.files import read_json

            document = read_json(path)
            if isinstance(document, dict) and "catalog" in document:
                self._catalogs[key] = ResolvedCatalog(document)
            else:
                self._catalogs[key] = resolve_profile(path, locator=self.locator)
        return self._catalogs[key]


def check_integrity(document: ParsedDocument, source: Path, context: IntegrityContext) -> list[Finding]:
    model = document.model or ""
    root = document.data.get(model)
    if not isinstance(root, dict):
        return []
    index = index_document(document.data)
    index.roles = _role_ids(document.data, model)
    findings = list(_duplicate_uuids(index, document))
    findings.extend(_unresolved(index, document, root, context))
    findings.extend(_parameter_inserts(document, root))
    findings.extend(_control_ids(document, root, source, context))
    return findings


def _duplicate_uuids(index: DocumentIndex, document: ParsedDocument) -> Iterator[Finding]:
    for uuid, places in index.uuids.items():
        for _, pointer in places[1:]:
            yield Finding(
                Layer.integrity, "INTEGRITY-001", Severity.error,
                f"duplicate uuid {uuid} (first used at {places[0][1]})", pointer, document.line_of(pointer),
            )  # fmt: skip


def _unresolved(
    index: DocumentIndex, document: ParsedDocument, root: dict[str, Any], context: IntegrityContext
) -> Iterator[Finding]:
    imports_other = any(k in root for k in ("import-ssp", "import-ap"))
    leverages = bool(as_dict(root.get("system-implementation")).get("leveraged-authorizations"))
    outside: list[Reference] = []
    for ref in index.references:
        if index.defines(ref.kind, ref.value):
            continue
        if any(other.defines(ref.kind, ref.value) for other in context.companions):
            continue
        if ref.kind == "control-link":
            outside.append(ref)
            continue
        wrong_kind = next(
            (c for index_ in (index, *context.companions) for c, _ in index_.uuids.get(ref.value, ()) if c), None
        )
        if wrong_kind is not None and _is_known_kind(ref.kind):
            where = "this document" if ref.value in index.uuids else "the --with document"
            yield Finding(
                Layer.integrity, "INTEGRITY-002", Severity.error,
                f"{ref.kind} reference {ref.value} names an entry of '{wrong_kind}' in {where}, "
                f"not of '{_container(ref.kind)}'",
                ref.pointer, document.line_of(ref.pointer),
            )  # fmt: skip
            continue
        external = imports_other or (ref.kind in _ALWAYS_EXTERNAL_CAPABLE and leverages)
        label = "#" + ref.value if ref.kind == "fragment" else ref.value
        if ref.kind == "role" and "/responsible-parties/" not in ref.pointer and not external:
            yield Finding(
                Layer.integrity, "INTEGRITY-003", Severity.warning,
                f"role {ref.value} is assigned but not defined in metadata.roles", ref.pointer,
                document.line_of(ref.pointer),
            )  # fmt: skip
        elif external:
            yield Finding(
                Layer.integrity, "INTEGRITY-006", Severity.warning,
                f"unresolved external reference: {ref.kind} {label} is not in this document "
                "(give the referenced document with --with to check it)",
                ref.pointer, document.line_of(ref.pointer),
            )  # fmt: skip
        else:
            rule = {"role": "INTEGRITY-003", "fragment": "INTEGRITY-004"}.get(ref.kind, "INTEGRITY-002")
            where = {"role": "metadata.roles", "fragment": "this document (no such uuid or id)"}.get(
                ref.kind, _container(ref.kind)
            )
            yield Finding(
                Layer.integrity, rule, Severity.error, f"{ref.kind} {label} is not defined in {where}",
                ref.pointer, document.line_of(ref.pointer),
            )  # fmt: skip

    if outside:
        targets = sorted({r.value for r in outside}, key=sort_key)
        yield Finding(
            Layer.integrity, "INTEGRITY-005", Severity.warning,
            f"{len(outside)} related-control link(s) point at {len(targets)} control(s) not in this document "
            f"(e.g. not selected by the profile): {', '.join(targets)}",
            outside[0].pointer, document.line_of(outside[0].pointer),
        )  # fmt: skip


def _parameter_inserts(document: ParsedDocument, root: dict[str, Any]) -> Iterator[Finding]:
    """In a catalog, every `{{ insert: param, id }}` must name a parameter the catalog defines."""
    if document.model != "catalog":
        return
    defined: set[str] = set()
    inserts: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(root, f"/{document.model}")]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            for param in dicts(value.get("params")):
                if isinstance(param, dict) and isinstance(param.get("id"), str):
                    defined.add(param["id"])
            stack.extend((v, f"{pointer}/{_escape(k)}") for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{pointer}/{n}") for n, v in enumerate(value))
        elif isinstance(value, str) and "{{" in value:
            inserts.extend((pid, pointer) for pid in PARAM_INSERT.findall(value))
    for pid, pointer in inserts:
        if pid not in defined:
            yield Finding(
                Layer.integrity, "INTEGRITY-007", Severity.error, f"prose inserts undefined parameter {pid}",
                pointer, document.line_of(pointer),
            )  # fmt: skip


def _control_ids(
    document: ParsedDocument, root: dict[str, Any], source: Path, context: IntegrityContext
) -> Iterator[Finding]:
    """Control, statement and parameter ids against the profile/catalog the document builds on."""
    model = document.model
    targets: list[tuple[str, str, Any]] = []  # (pointer of href, href, control-implementation container)
    if model == "system-security-plan":
        href = as_dict(root.get("import-profile")).get("href")
        if isinstance(href, str):
            targets.append((f"/{model}/import-profile/href", href, as_dict(root.get("control-implementation"))))
    elif model == "component-definition":
        for kind in ("components", "capabilities"):
            for n, component in indexed(root.get(kind)):
                for m, impl in indexed(as_dict(component).get("control-implementations")):
                    if isinstance(impl, dict) and isinstance(impl.get("source"), str):
                        pointer = f"/{model}/{kind}/{n}/control-implementations/{m}"
                        targets.append((pointer + "/source", impl["source"], (pointer, impl)))
    for href_pointer, href, container in targets:
        try:
            path, _ = context.locator.locate(source, root, href)
            catalog = context.resolved(path)
        except HrefError as exc:
            yield Finding(
                Layer.integrity, "INTEGRITY-009", Severity.warning,
                f"cannot follow {href!r} ({exc}); control ids not checked against it",
                href_pointer, document.line_of(href_pointer),
            )  # fmt: skip
            continue
        except Exception as exc:
            yield Finding(
                Layer.integrity, "INTEGRITY-009", Severity.warning,
                f"cannot resolve {href!r}: {' '.join(str(exc).split())[:200]}; control ids not checked",
                href_pointer, document.line_of(href_pointer),
            )  # fmt: skip
            continue
        if isinstance(container, tuple):
            base_pointer, impl = container
        else:
            base_pointer, impl = f"/{model}/control-implementation", container
            context.document_catalogs[str(source)] = catalog
        yield from _check_requirements(document, impl, base_pointer, catalog)


def _part_ids(part: dict[str, Any]) -> Iterator[str]:
    if isinstance(part.get("id"), str):
        yield part["id"]
    for child in dicts(part.get("parts")):
        if isinstance(child, dict):
            yield from _part_ids(child)


def _check_requirements(
    document: ParsedDocument, impl: dict[str, Any], base: str, catalog: ResolvedCatalog
) -> Iterator[Finding]:
    controls = catalog.controls()
    params = {p["id"] for c in controls.values() for p in c.get("params", ()) if isinstance(p, dict)}
    params.update(p["id"] for p in catalog.catalog.get("params", ()) if isinstance(p, dict))

    def finding(rule: str, message: str, pointer: str) -> Finding:
        return Finding(Layer.integrity, rule, Severity.error, message, pointer, document.line_of(pointer))

    for n, param in indexed(impl.get("set-parameters")):
        if str(param.get("param-id")) not in params:
            yield finding(
                "INTEGRITY-012",
                f"parameter {param.get('param-id')} is not in the profile",
                f"{base}/set-parameters/{n}",
            )
    for n, requirement in indexed(impl.get("implemented-requirements")):
        pointer = f"{base}/implemented-requirements/{n}"
        cid = str(requirement.get("control-id"))
        if cid not in controls:
            yield finding("INTEGRITY-010", f"control {cid} is not in the profile or catalog", f"{pointer}/control-id")
            continue
        statement_ids = {i for part in controls[cid].get("parts", ()) for i in _part_ids(part)}
        for m, statement in indexed(requirement.get("statements")):
            sid = str(statement.get("statement-id"))
            if sid not in statement_ids:
                yield finding(
                    "INTEGRITY-011", f"statement {sid} is not a part of control {cid}", f"{pointer}/statements/{m}"
                )
        for holder_pointer, holder in _set_parameter_holders(requirement, pointer):
            for m, param in indexed(holder.get("set-parameters")):
                if str(param.get("param-id")) not in params:
                    yield finding(
                        "INTEGRITY-012", f"parameter {param.get('param-id')} is not in the profile",
                        f"{holder_pointer}/set-parameters/{m}",
                    )  # fmt: skip


def _set_parameter_holders(requirement: dict[str, Any], pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    yield pointer, requirement
    for n, by in indexed(requirement.get("by-components")):
        yield f"{pointer}/by-components/{n}", by
    for n, statement in indexed(requirement.get("statements")):
        for m, by in indexed(statement.get("by-components")):
            yield f"{pointer}/statements/{n}/by-components/{m}", by
