import pytest
from hypothesis import given
from hypothesis import strategies as st

from marse_oscal.controls import control_id, control_label, family_of, sort_id, sort_key
from marse_oscal.errors import InputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AC-2(1)", "ac-2.1"),
        ("ac-2.1", "ac-2.1"),
        ("ac 2 (1)", "ac-2.1"),
        (" SI-4 ( 14 ) ", "si-4.14"),
        ("ac-02", "ac-2"),
        ("MP-CMS-1", "mp-cms-1"),
        ("SC-ACA-2", "sc-aca-2"),
        ("IP-1(1)", "ip-1.1"),
    ],
)
def test_control_id_accepts_usual_spellings(text: str, expected: str) -> None:
    assert control_id(text) == expected


@pytest.mark.parametrize("text", ["", "xx", "AC-", "ac-2(1", "ac-2((1))", "A-1", "ac-2.x", "../etc/passwd"])
def test_control_id_rejects_non_ids(text: str) -> None:
    with pytest.raises(InputError, match="not a control id"):
        control_id(text)


def test_labels_sort_ids_and_order() -> None:
    assert control_label("ac-2.1") == "AC-2(1)"
    assert control_label("mp-cms-1") == "MP-CMS-1"
    assert family_of("sc-aca-1") == "sc"
    assert sort_id("ac-2.12") == "ac-02.12"
    ids = ["ac-10", "ac-2.10", "ac-2", "ac-2.2", "ac-1"]
    assert sorted(ids, key=sort_key) == ["ac-1", "ac-2", "ac-2.2", "ac-2.10", "ac-10"]


families = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=2)


@given(families, st.integers(1, 999), st.one_of(st.none(), st.integers(1, 999)))
def test_label_round_trip(family: str, number: int, enhancement: int | None) -> None:
    oscal_id = f"{family}-{number}" + (f".{enhancement}" if enhancement else "")
    assert control_id(control_label(oscal_id)) == oscal_id
    assert control_id(oscal_id) == oscal_id


@given(st.text(max_size=40))
def test_control_id_never_fails_unexpectedly(text: str) -> None:
    try:
        result = control_id(text)
    except InputError:
        return
    assert result == control_id(control_label(result))
