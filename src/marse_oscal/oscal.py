"""Small OSCAL conventions shared by every generator: the project namespace and stable UUIDs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

NAMESPACE = "https://marse-oscal.github.io/ns/oscal"
OSCAL_VERSION = "1.2.3"
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)
PARAM_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")


def pointer_token(token: str | int) -> str:
    """One JSON pointer reference token, escaped as RFC 6901 requires (`~` -> `~0`, `/` -> `~1`)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def stable_uuid(*names: str) -> str:
    """A UUID derived from names, so regenerating a document keeps every UUID (and the git diff) stable."""
    return str(uuid.uuid5(_UUID_NAMESPACE, "/".join(names)))


def prop(name: str, value: str, remarks: str | None = None) -> dict[str, str]:
    """A property in the project's namespace."""
    result = {"name": name, "ns": NAMESPACE, "value": value}
    if remarks:
        result["remarks"] = remarks
    return result


def iter_controls(container: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every control of a catalog, group or control, depth first, enhancements included."""
    for group in container.get("groups", ()):
        yield from iter_controls(group)
    for control in container.get("controls", ()):
        yield control
        yield from iter_controls(control)


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one: checkers read documents that may be malformed."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of `value` if it is an array, else none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def indexed(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, object) for the JSON objects of an array, keeping their positions for JSON pointers."""
    if isinstance(value, list):
        yield from ((n, item) for n, item in enumerate(value) if isinstance(item, dict))


def prop_value(element: dict[str, Any], name: str, ns: str | None = None) -> str | None:
    """The first value of a prop by name (and namespace, when given)."""
    for item in element.get("props", ()):
        if item.get("name") == name and (ns is None or item.get("ns") == ns):
            return item.get("value")
    return None
