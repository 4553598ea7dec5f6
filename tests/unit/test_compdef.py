"""Azure Policy reading and responsibility rules on small hand-written inputs."""

import json
from pathlib import Path

import pytest

from marse_oscal.compdef.azure_policy import CheckoutPolicies, PolicyKind, classify, read_initiative
from marse_oscal.compdef.build import combined_responsibility, responsibility_of
from marse_oscal.errors import InputError


def definition(name: str, effect_default: str | None = None, rule_effect: str = "[parameters('effect')]") -> dict:
    properties: dict = {"displayName": name, "policyRule": {"if": {}, "then": {"effect": rule_effect}}}
    if effect_default:
        properties["parameters"] = {
            "effect": {"allowedValues": [effect_default, "Disabled"], "defaultValue": effect_default}
        }
    return {"properties": properties, "name": "0abbac52-57cf-450d-8408-1208d0dd9e90"}


def test_classify() -> None:
    assert classify(definition("Microsoft Managed Control 1044 - Unsuccessful Logon Attempts", None, "audit"))[0] is (
        PolicyKind.microsoft_managed
    )
    assert classify(definition("Enforce a limit of consecutive failed login attempts", "Manual"))[0] is (
        PolicyKind.customer_action
    )
    kind, effects = classify(definition("Storage accounts should use private link", "AuditIfNotExists"))
    assert kind is PolicyKind.automated and effects == ("AuditIfNotExists", "Disabled")


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ({PolicyKind.microsoft_managed}, "provider"),
        ({PolicyKind.microsoft_managed, PolicyKind.customer_action}, "shared"),
        ({PolicyKind.microsoft_managed, PolicyKind.automated}, "shared"),
        ({PolicyKind.customer_action}, "customer"),
        ({PolicyKind.automated, PolicyKind.customer_action}, "customer"),
    ],
)
def test_responsibility(kinds: set, expected: str) -> None:
    assert responsibility_of(kinds) == expected


def test_combined_responsibility() -> None:
    assert combined_responsibility({"provider"}) == "provider"
    assert combined_responsibility({"provider", "customer"}) == "shared"


def write(path: Path, document: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))
    return path


def initiative(*groups: str) -> dict:
    return {
        "name": "test",
        "properties": {
            "displayName": "NIST SP 800-53 Rev. 4",
            "version": "1.0.0",
            "policyDefinitions": [
                {
                    "policyDefinitionId": "/providers/Microsoft.Authorization/policyDefinitions/abc",
                    "groupNames": list(groups),
                }
            ],
        },
    }


def test_read_initiative_maps_groups_to_control_ids(tmp_path: Path) -> None:
    parsed = read_initiative(
        write(tmp_path / "i.json", initiative("NIST_SP_800-53_R4_AC-2(1)", "NIST_SP_800-53_R4_AC-7")), "i"
    )
    assert parsed.controls == {"ac-2.1": ("abc",), "ac-7": ("abc",)} and parsed.version == "1.0.0"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"properties": {}}, "not an Azure Policy initiative"),
        ([1, 2], "not an Azure Policy initiative"),
        (initiative("CIS_1.1"), "group 'CIS_1.1' is not a NIST SP 800-53 Rev. 4 control group"),
        (initiative("NIST_SP_800-53_R4_banana"), "does not name a control"),
        (
            {"properties": {"policyDefinitions": [{"groupNames": ["x"]}]}},
            "policyDefinitions[0] has no policyDefinitionId",
        ),
    ],
)
def test_read_initiative_rejects_bad_input(tmp_path: Path, document: object, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        read_initiative(write(tmp_path / "i.json", document), "i.json")


def test_checkout_policies(tmp_path: Path) -> None:
    root = tmp_path / "built-in-policies" / "policyDefinitions"
    write(root / "Regulatory Compliance" / "MMC.json", definition("Microsoft Managed Control 1044 - X", None, "audit"))
    gov = definition("Microsoft Managed Control 1044 - Government copy", None, "audit")
    write(root / "Azure Government" / "Regulatory Compliance" / "MMC.json", gov)
    assert CheckoutPolicies(tmp_path, prefer_government=True).get(gov["name"]).display_name.endswith("Government copy")
    assert CheckoutPolicies(tmp_path, prefer_government=False).get(gov["name"]).display_name.endswith("X")
    with pytest.raises(InputError, match="not found in the Azure Policy checkout"):
        CheckoutPolicies(tmp_path, prefer_government=False).get("ffffffff-0000-4000-8000-000000000000")
    with pytest.raises(InputError, match="not an Azure/azure-policy checkout"):
        CheckoutPolicies(tmp_path / "nope", prefer_government=False)
