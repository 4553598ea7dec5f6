"""Control identifiers: CMS/NIST labels such as `AC-2(1)` and the OSCAL ids such as `ac-2.1`."""

from __future__ import annotations

import re

from marse_oscal.errors import InputError

_LABEL = re.compile(r"^([a-z]{2})-?((?:[a-z]{2,4}-)?\d{1,3})(?:\((\d{1,3})\)|\.(\d{1,3}))?$")


def control_id(text: str) -> str:
    """The OSCAL id for a label or id in any usual spelling: `AC-2(1)`, `ac-2.1`, `ac 2 (1)` -> `ac-2.1`."""
    match = _LABEL.match(re.sub(r"\s+", "", text).lower())
    if not match:
        raise InputError(f"{text!r}: not a control id (expected e.g. AC-2, AC-2(1) or ac-2.1)")
    family, number, enh_paren, enh_dot = match.groups()
    base = f"{family}-" + re.sub(r"\d+", lambda m: str(int(m.group())), number)
    enhancement = enh_paren or enh_dot
    return f"{base}.{int(enhancement)}" if enhancement else base


def control_label(oscal_id: str) -> str:
    """The label as NIST and CMS print it: `ac-2.1` -> `AC-2(1)`."""
    base, _, enhancement = oscal_id.partition(".")
    return f"{base.upper()}({enhancement})" if enhancement else base.upper()


def family_of(oscal_id: str) -> str:
    """The family prefix of an id: `ac-2.1` -> `ac`."""
    return oscal_id.split("-", 1)[0]


def sort_key(oscal_id: str) -> tuple[str, int, str, int]:
    """Orders ids the way the catalogs do: family, number, CMS suffix, enhancement."""
    base, _, enhancement = oscal_id.partition(".")
    family, _, rest = base.partition("-")
    digits = re.search(r"\d+", rest)
    number = int(digits.group()) if digits else 0
    return family, number, rest, int(enhancement) if enhancement else 0


def sort_id(oscal_id: str) -> str:
    """NIST's `sort-id` prop value: zero-padded so string order equals catalog order (`ac-02.01`)."""
    base, _, enhancement = oscal_id.partition(".")
    family, _, rest = base.partition("-")
    padded = re.sub(r"\d+", lambda m: f"{int(m.group()):02d}", rest)
    return f"{family}-{padded}" + (f".{int(enhancement):02d}" if enhancement else "")
