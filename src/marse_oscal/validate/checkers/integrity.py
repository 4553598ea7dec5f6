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
from marse_oscal.hrefs import HrefLocator
from marse_oscal.oscal import PARAM_INSERT, as_dict, dicts, indexed, pointer_token
from marse_oscal.profile.resolve import ResolvedCatalog, resolve_profile
from marse_oscal.validate.findings import Finding, Layer, Severity
from marse_oscal.validate.parsers import ParsedDocument

_PLURALS = {"party": "parties", "responsibility": "responsibilities", "activity": "activities",
            "provided": "provided", "inherited": "inherited", "satisfied": "satisfied"}  # fmt: skip
_ALWAYS_EXTERNAL_CAPABLE = {"provided", "responsibility", "inherited", "satisfied"}
CONTROL_RELATIONS = {"related", "required", "incorporated-into", "moved-to"}


def _container(kind: str) -> str:
    return _PLURALS.get(kind, kind + "s")


Path_ = tuple[Any, str | int] | None  # (parent path, key or index); None is the document root


@dataclass(frozen=True)
class Reference:
    kind: str  # component, party, role, fragment, param, ...
    value: str
    path: Path_

    @property
    def pointer(self) -> str:
        return pointer_of(self.path)


@dataclass
class DocumentIndex:
    """Definitions (uuid -> containers it appears in) and references of one document."""

    uuids: dict[str, list[tuple[str, Path_]]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    params: set[str] = field(default_factory=set)
    inserts: list[Reference] = field(default_factory=list)
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


def pointer_of(path: Path_) -> str:
    """Materialise a lazy path (nested (parent, token) pairs) into a JSON pointer."""
    tokens = []
    while path is not None:
        path, token = path
        tokens.append(pointer_token(token))
    return "".join(f"/{t}" for t in reversed(tokens))


def index_document(data: dict[str, Any]) -> DocumentIndex:
    """One iterative pass, in document order, collecting definitions and references.

    Paths stay (parent, token) pairs until a finding needs a pointer: building a pointer string for each
    of the ~100,000 nodes of a resolved catalog would cost more than the whole walk.
    """
    index = DocumentIndex()
    stack: list[tuple[Any, Path_, str]] = [(data, None, "")]
    while stack:
        value, path, container = stack.pop()
        if type(value) is list:
            stack.extend((value[n], (path, n), container) for n in range(len(value) - 1, -1, -1))
            continue
        if type(value) is not dict:
            continue
        uuid, ident = value.get("uuid"), value.get("id")
        if type(uuid) is str:
            index.uuids.setdefault(uuid, []).append((container, path))
        if type(ident) is str:
            index.ids.add(ident)
            if container == "params":
                index.params.add(ident)
        children = []
        for key, item in value.items():
            kind = type(item)
            if key in _REFERENCE_KEYS or key.endswith(_UUID_SUFFIXES):
                _collect_reference(index, value, key, item, (path, key))
            if kind is dict or kind is list:
                children.append((item, (path, key), key))
        stack.extend(reversed(children))
    return index


_REFERENCE_KEYS = {"prose", "role-id", "role-ids", "href", "value"}
_UUID_SUFFIXES = ("-uuid", "-uuids")


def _collect_reference(index: DocumentIndex, owner: dict[str, Any], key: str, item: Any, path: Path_) -> None:
    if key == "prose":
        if isinstance(item, str) and "{{" in item:
            index.inserts.extend(Reference("param", pid, path) for pid in PARAM_INSERT.findall(item))
        return
    if isinstance(item, list):
        strings = [(v, (path, n)) for n, v in enumerate(item) if isinstance(v, str)]
    else:
        strings = [(item, path)] if isinstance(item, str) else []
    if key in ("role-id", "role-ids"):
        index.references.extend(Reference("role", v, p) for v, p in strings)
    elif key.endswith(_UUID_SUFFIXES):
        kind = key.rsplit("-uuid", 1)[0]
        index.references.extend(Reference(kind, v, p) for v, p in strings)
    elif key == "href" and isinstance(item, str) and item.startswith("#"):
        kind = "control-link" if str(owner.get("rel")) in CONTROL_RELATIONS else "fragment"
        index.references.append(Reference(kind, item[1:], path))
    elif key == "value" and owner.get("name") == "leveraged-authorization-uuid" and isinstance(item, str):
        index.references.append(Reference("leveraged-authorization", item, path))


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
    findings.extend(_parameter_inserts(document, index))
    findings.extend(_control_ids(document, root, source, context))
    return findings


def _duplicate_uuids(index: DocumentIndex, document: ParsedDocument) -> Iterator[Finding]:
    for uuid, places in index.uuids.items():
        for _, path in places[1:]:
            pointer = pointer_of(path)
            yield Finding(
                Layer.integrity, "INTEGRITY-001", Severity.error,
                f"duplicate uuid {uuid} (first used at {pointer_of(places[0][1])})", pointer, document.line_of(pointer),
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
                Layer.integrity, "INTEGRITY-006", Severity.note,
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


def _parameter_inserts(document: ParsedDocument, index: DocumentIndex) -> Iterator[Finding]:
    """In a catalog, every `{{ insert: param, id }}` must name a parameter the catalog defines."""
    if document.model != "catalog":
        return
    for ref in index.inserts:
        if ref.value not in index.params:
            yield Finding(
                Layer.integrity, "INTEGRITY-007", Severity.error, f"prose inserts undefined parameter {ref.value}",
                ref.pointer, document.line_of(ref.pointer),
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
        except Exception as exc:  # an unfollowable or unresolvable target is reported, never raised
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            yield Finding(
                Layer.integrity, "INTEGRITY-009", Severity.warning,
                f"cannot follow {href!r} ({reason}); control ids not checked against it",
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
    params = set(catalog.parameters())
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
