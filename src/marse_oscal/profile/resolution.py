"""OSCAL profile resolution on plain JSON dicts: select (import), merge, modify, prune back-matter.

Why not trestle's resolver: `trestle.core.resolver.merge.Merge._merge_catalog` deep-copies every
imported catalog as pydantic models, so two imports (NIST rev4 + our supplemental catalog) cost ~0.7 s
of copying alone and MARS-E resolved at 2.2 ms/control against trestle's own 1.5 ms/control on NIST
Moderate. Working on the parsed JSON needs no copies (each import is parsed fresh). Trestle stays the
reference: the tests check this resolver against trestle and against NIST's published resolved baselines.
Supported: include-all / include-controls / exclude-controls (with-ids, matching, with-child-controls),
merge as-is or flat with combine use-first|merge|keep, set-parameters, alters (adds, removes).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from typing import Any

from marse_oscal.errors import InputError
from marse_oscal.oscal import PARAM_INSERT

Document = dict[str, Any]
_FRAGMENT_REF = re.compile(r"^#([0-9A-Fa-f-]{36})$")
_CONTROL_KEYS = ("id", "class", "title", "params", "props", "links", "parts", "controls")
_PARAM_REPLACED = ("class", "depends-on", "label", "usage", "values", "select", "guidelines", "constraints")


def _walk_controls(controls: Iterable[Document]) -> Iterable[Document]:
    for control in controls:
        yield control
        yield from _walk_controls(control.get("controls", ()))


def _all_controls(container: Document) -> Iterable[Document]:
    for group in container.get("groups", ()):
        yield from _all_controls(group)
    yield from _walk_controls(container.get("controls", ()))


def _matcher(selectors: Iterable[Document], catalog: Document) -> set[str]:
    """Ids picked by include-controls / exclude-controls selectors, children added where asked."""
    picked: set[str] = set()
    controls = list(_all_controls(catalog))
    for selector in selectors:
        ids = set(selector.get("with-ids", ()))
        patterns = [m.get("pattern", "") for m in selector.get("matching", ())]
        for control in controls:
            cid = control["id"]
            if cid in ids or any(fnmatch.fnmatchcase(cid, p) for p in patterns):
                picked.add(cid)
                if selector.get("with-child-controls") == "yes":
                    picked.update(c["id"] for c in _walk_controls(control.get("controls", ())))
    return picked


def select_controls(catalog: Document, spec: Document) -> tuple[Document, list[str]]:
    """The catalog cut down to the import's selection; returns it and the requested ids it lacks."""
    available = {c["id"] for c in _all_controls(catalog)}
    if "include-controls" in spec:
        selected = _matcher(spec["include-controls"], catalog)
        requested = {i for s in spec["include-controls"] for i in s.get("with-ids", ())}
    else:
        selected, requested = set(available), set()
    selected -= _matcher(spec.get("exclude-controls", ()), catalog)

    def pick(controls: Iterable[Document]) -> list[Document]:
        out: list[Document] = []
        for control in controls:
            children = pick(control.get("controls", ()))
            if control["id"] in selected:
                kept = {k: v for k, v in control.items() if k != "controls"}
                if children:
                    kept["controls"] = children
                out.append(kept)
            else:
                out.extend(children)  # an unselected parent's selected children take its place
        return out

    def pick_group(group: Document) -> Document | None:
        kept = {k: v for k, v in group.items() if k not in ("groups", "controls")}
        subgroups = [g for g in (pick_group(s) for s in group.get("groups", ())) if g]
        controls = pick(group.get("controls", ()))
        if not subgroups and not controls:
            return None
        if subgroups:
            kept["groups"] = subgroups
        if controls:
            kept["controls"] = controls
        return kept

    result: Document = {
        "groups": [g for g in (pick_group(g) for g in catalog.get("groups", ())) if g],
        "controls": pick(catalog.get("controls", ())),
        "params": catalog.get("params", []),
        "back-matter": catalog.get("back-matter", {}),
    }
    return result, sorted(requested - available)


def merge_selections(selections: list[Document], merge: Document | None) -> Document:
    """Combine the imports' selections as the profile's merge directive says."""
    merge = merge or {}
    if "custom" in merge:
        raise InputError("profile merge 'custom' is not supported; use 'as-is' or 'flat'")
    method = (merge.get("combine") or {}).get("method", "use-first")
    seen: set[str] = set()

    def keep(control: Document) -> bool:
        if control["id"] not in seen:
            seen.add(control["id"])
            return True
        if method == "keep":
            raise InputError(f"control {control['id']} is imported twice and merge combine is 'keep'")
        return False

    merged: Document = {"groups": [], "controls": [], "params": []}
    groups_by_id: dict[str, Document] = {}
    for selection in selections:
        merged["params"].extend(selection["params"])
        if merge.get("as-is"):
            for group in selection["groups"]:
                _merge_group(merged["groups"], groups_by_id, group, keep)
            merged["controls"].extend(c for c in selection["controls"] if keep(c))
        else:
            for control in _all_controls(selection):
                if keep(control):
                    merged["controls"].append({k: v for k, v in control.items() if k != "controls"})
    return merged


def _merge_group(
    target: list[Document], by_id: dict[str, Document], group: Document, keep: Callable[[Document], bool]
) -> None:
    group = dict(group)
    group["controls"] = [c for c in group.get("controls", ()) if keep(c)]
    existing = by_id.get(group["id"]) if "id" in group else None
    if existing is None:
        target.append(group)
        if "id" in group:
            by_id[group["id"]] = group
        return
    existing.setdefault("controls", []).extend(group["controls"])
    if group.get("groups"):
        existing.setdefault("groups", []).extend(group["groups"])


def _control_index(catalog: Document) -> dict[str, Document]:
    return {c["id"]: c for c in _all_controls(catalog)}


def _param_index(catalog: Document) -> dict[str, Document]:
    params = {p["id"]: p for p in catalog.get("params", ())}
    for control in _all_controls(catalog):
        params.update((p["id"], p) for p in control.get("params", ()))
    return params


def _find_by_id(element: Document, target_id: str) -> tuple[Document, list[Document] | None]:
    """The element with `target_id` inside a control, and the list holding it (None for the control)."""
    if element.get("id") == target_id:
        return element, None
    for key in ("params", "parts"):
        for item in element.get(key, ()):
            if item.get("id") == target_id:
                return item, element[key]
            if key == "parts":
                found, holder = _find_by_id(item, target_id)
                if found is not None:
                    return found, holder
    return None, None  # type: ignore[return-value]


def _matches_remove(item: Document, remove: Document) -> bool:
    checks = {
        "by-name": item.get("name", item.get("rel")),
        "by-item-name": item.get("name", item.get("rel")),
        "by-class": item.get("class"),
        "by-id": item.get("id"),
        "by-ns": item.get("ns"),
    }
    criteria = {k: v for k, v in remove.items() if k in checks}
    return bool(criteria) and all(checks[k] == v for k, v in criteria.items())


def _remove(element: Document, remove: Document) -> None:
    for key in ("params", "props", "links", "parts"):
        if key in element:
            element[key] = [i for i in element[key] if not _matches_remove(i, remove)]
            if not element[key]:
                del element[key]
    for part in element.get("parts", ()):
        _remove(part, remove)


def _add(control: Document, add: Document) -> None:
    position = add.get("position", "ending")
    target, holder = _find_by_id(control, add.get("by-id", control["id"]))
    if target is None:
        raise InputError(f"alter of {control['id']}: no element with id {add['by-id']!r} to add to")
    if "title" in add:
        target["title"] = add["title"]
    for key in ("params", "props", "links", "parts"):
        items = add.get(key)
        if not items:
            continue
        if position in ("before", "after") and holder is not None and key in ("params", "parts") and target in holder:
            index = holder.index(target) + (1 if position == "after" else 0)
            holder[index:index] = items
        elif position in ("starting", "before"):
            target[key] = [*items, *target.get(key, ())]
        else:
            target[key] = [*target.get(key, ()), *items]


def apply_modify(catalog: Document, modify: Document | None) -> list[str]:
    """Apply set-parameters and alters in place; returns warnings for targets the catalog lacks."""
    warnings: list[str] = []
    if not modify:
        return warnings
    params = _param_index(catalog)
    for setting in modify.get("set-parameters", ()):
        param = params.get(setting["param-id"])
        if param is None:
            warnings.append(f"set-parameters: {setting['param-id']} is not a parameter of any selected control")
            continue
        for key in _PARAM_REPLACED:
            if key in setting:
                param[key] = setting[key]
        for key in ("props", "links"):
            if key in setting:
                param[key] = [*param.get(key, ()), *setting[key]]
    controls = _control_index(catalog)
    for alter in modify.get("alters", ()):
        control = controls.get(alter["control-id"])
        if control is None:
            warnings.append(f"alters: {alter['control-id']} is not a selected control")
            continue
        for remove in alter.get("removes", ()):
            _remove(control, remove)
        for add in alter.get("adds", ()):
            _add(control, add)
    return warnings


def _referenced(value: Any, uuids: set[str], params: set[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _referenced(item, uuids, params)
    elif isinstance(value, list):
        for item in value:
            _referenced(item, uuids, params)
    elif isinstance(value, str):
        if match := _FRAGMENT_REF.match(value):
            uuids.add(match.group(1))
        elif "{{" in value:
            params.update(PARAM_INSERT.findall(value))


def canonical_control(control: Document) -> Document:
    """Key order as OSCAL writes controls, so added params/parts land where a reader expects them."""
    ordered = {k: control[k] for k in _CONTROL_KEYS if k in control}
    ordered.update((k, v) for k, v in control.items() if k not in ordered)
    if "controls" in ordered:
        ordered["controls"] = [canonical_control(c) for c in ordered["controls"]]
    return ordered


def assemble_catalog(merged: Document, resources: list[Document], extra_resources: list[Document]) -> Document:
    """The body of the resolved catalog: groups, controls, referenced params and back-matter only."""
    uuids: set[str] = set()
    inserted: set[str] = set()
    body = {"groups": merged["groups"], "controls": merged["controls"]}
    _referenced(body, uuids, inserted)
    catalog: Document = {}
    params = [p for p in merged["params"] if p["id"] in inserted]
    if params:
        catalog["params"] = params
    if merged["controls"]:
        catalog["controls"] = [canonical_control(c) for c in merged["controls"]]
    if merged["groups"]:
        catalog["groups"] = [_canonical_group(g) for g in merged["groups"]]
    seen: set[str] = set()
    kept = []
    for resource in [*resources, *extra_resources]:
        if resource.get("uuid") in uuids and resource["uuid"] not in seen:
            seen.add(resource["uuid"])
            kept.append(resource)
    if kept:
        catalog["back-matter"] = {"resources": kept}
    return catalog


def _canonical_group(group: Document) -> Document:
    group = dict(group)
    if "groups" in group:
        group["groups"] = [_canonical_group(g) for g in group["groups"]]
    if "controls" in group:
        group["controls"] = [canonical_control(c) for c in group["controls"]]
        if not group["controls"]:
            del group["controls"]
    return group
