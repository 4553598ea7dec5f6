"""One self-contained HTML page for an SSP: identity, charts, a filterable control table, the gaps.

No network, no external scripts or fonts: inline CSS, inline SVG generated here, one small inline script
for filtering. The same SSP gives the same bytes. The filter state can also come from the URL fragment
(`#q=AC-2&family=AC&responsibility=shared&status=implemented&gaps=1`), so a link can share a view.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Any

from marse_oscal.controls import control_label, family_of, sort_key
from marse_oscal.oscal import NAMESPACE, PARAM_INSERT, as_dict, dicts, prop_value
from marse_oscal.profile.inspect import show_control
from marse_oscal.profile.resolve import ResolvedCatalog
from marse_oscal.ssp.assemble import NOT_WRITTEN
from marse_oscal.validate.checkers.marse import PRIVACY_FAMILIES, applicable_params

RESPONSIBILITIES = ("provider", "shared", "customer", "unspecified")
STATUSES = ("implemented", "partial", "planned", "alternative", "not-applicable", "unspecified")
COLOURS = {
    "provider": "#1b5e8a", "shared": "#3b6e16", "customer": "#b35900", "unspecified": "#6b6b6b",
    "implemented": "#2e7d32", "partial": "#9e7c00", "planned": "#b35900", "alternative": "#5e35b1",
    "not-applicable": "#6b6b6b",
}  # fmt: skip


@dataclass
class ControlRow:
    """What the report shows about one control."""

    cid: str
    title: str
    family: str
    responsibility: str
    status: str
    gaps: list[str] = field(default_factory=list)
    statement: list[str] = field(default_factory=list)
    summary: bool = False
    parameters: list[tuple[str, str, str]] = field(default_factory=list)  # id, label, value
    contributions: list[tuple[str, str, str]] = field(default_factory=list)  # component, responsibility, text


def _status(requirement: dict[str, Any]) -> str:
    if prop_value(requirement, "implementation-status") == "not-applicable":
        return "not-applicable"
    states = [as_dict(b.get("implementation-status")).get("state") for b in dicts(requirement.get("by-components"))]
    states = [s for s in states if isinstance(s, str)]
    if not states:
        return "unspecified"
    for state in ("planned", "partial", "alternative", "implemented", "not-applicable"):
        if state in states:
            return state
    return states[0]


def control_rows(ssp: dict[str, Any], catalog: ResolvedCatalog) -> list[ControlRow]:
    """One row per control of the catalog (the profile) and per extra implemented requirement."""
    root = ssp["system-security-plan"]
    components = {c.get("uuid"): c for c in dicts(as_dict(root.get("system-implementation")).get("components"))}
    requirements = {
        r.get("control-id"): r
        for r in dicts(as_dict(root.get("control-implementation")).get("implemented-requirements"))
    }
    controls = catalog.controls()
    rows = []
    for cid in sorted(set(controls) | {c for c in requirements if isinstance(c, str)}, key=sort_key):
        requirement = requirements.get(cid)
        control = controls.get(cid, {})
        row = ControlRow(
            cid=cid,
            title=str(control.get("title", "")),
            family=family_of(cid).upper(),
            responsibility=(prop_value(requirement, "responsibility", NAMESPACE) if requirement else None)
            or "unspecified",
            status=_status(requirement) if requirement else "unspecified",
        )
        if control:
            view = show_control(catalog, cid)
            row.statement, row.summary = view.statement, view.summary
        values = {}
        if requirement:
            holders = [requirement, *dicts(requirement.get("by-components"))]
            for holder in holders:
                for setting in dicts(holder.get("set-parameters")):
                    values[str(setting.get("param-id"))] = ", ".join(map(str, setting.get("values") or []))
            for by in dicts(requirement.get("by-components")):
                title = str(as_dict(components.get(by.get("component-uuid"))).get("title", by.get("component-uuid")))
                part = prop_value(by, "responsibility", NAMESPACE) or ""
                row.contributions.append((title, part, str(by.get("description", ""))))
                if by.get("description") == NOT_WRITTEN:
                    row.gaps.append(f"{title}: narrative not written")
        else:
            row.gaps.append("no implemented-requirement")
        for param in applicable_params(control) if control else []:
            value = values.get(param["id"]) or ", ".join(param.get("values") or [])
            row.parameters.append((param["id"], str(param.get("label", "selection")), value))
            if not value and row.status != "not-applicable":
                row.gaps.append(f"parameter {param['id']} has no value")
        rows.append(row)
    return rows


def _bar_chart(title: str, rows: list[ControlRow], attribute: str, keys: tuple[str, ...]) -> str:
    """Horizontal stacked bars per family, Part B (security) and Part C (privacy) as two groups."""
    groups = [
        ("Part B: security controls", [r for r in rows if r.family.lower() not in PRIVACY_FAMILIES]),
        ("Part C: privacy controls", [r for r in rows if r.family.lower() in PRIVACY_FAMILIES]),
    ]
    used = [k for k in keys if any(getattr(r, attribute) == k for r in rows)]
    families = [(name, sorted({r.family for r in members})) for name, members in groups]
    height_rows = sum(len(f) + 2 for _, f in families)
    width, label_w, bar_w, row_h = 760, 70, 560, 18
    biggest = max((sum(1 for r in rows if r.family == f) for _, fs in families for f in fs), default=1)
    scale = bar_w / max(biggest, 1)
    out = [
        f'<svg role="img" aria-labelledby="{attribute}-title" viewBox="0 0 {width} {height_rows * row_h + 40}" '
        f'width="{width}" class="chart" data-breakdown="{attribute}">',
        f'<title id="{attribute}-title">{escape(title)}</title>',
    ]
    y = 10
    for name, family_list in families:
        out.append(f'<text x="0" y="{y + 12}" class="group">{escape(name)}</text>')
        y += row_h + 4
        for family in family_list:
            members = [r for r in rows if r.family == family]
            counts = Counter(getattr(r, attribute) for r in members)
            out.append(f'<text x="0" y="{y + 13}" class="label">{family}</text>')
            x = label_w
            for key in used:
                if counts[key]:
                    w = counts[key] * scale
                    out.append(
                        f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 4}" fill="{COLOURS[key]}">'
                        f"<title>{family}: {counts[key]} {key}</title></rect>"
                    )
                    x += w
            out.append(f'<text x="{x + 6:.1f}" y="{y + 13}" class="count">{len(members)}</text>')
            y += row_h
        y += row_h // 2
    legend_x = 0
    for key in used:
        out.append(f'<rect x="{legend_x}" y="{y + 4}" width="12" height="12" fill="{COLOURS[key]}"/>')
        out.append(f'<text x="{legend_x + 16}" y="{y + 15}" class="legend">{key}</text>')
        legend_x += 20 + 8 * len(key) + 12
    out.append("</svg>")
    return "\n".join(out)


def _options(values: list[str]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)


def _row_html(row: ControlRow) -> str:
    label = control_label(row.cid)
    params = "".join(
        f"<tr><td><code>{escape(pid)}</code></td><td>{escape(plabel)}</td>"
        f"<td>{escape(value) if value else '<em class=gap>no value</em>'}</td></tr>"
        for pid, plabel, value in row.parameters
    )
    contributions = "".join(
        f"<li><strong>{escape(component)}</strong>"
        f"{f' <span class=badge data-kind={escape(part)}>{escape(part)}</span>' if part else ''}"
        f"<p>{escape(text)}</p></li>"
        for component, part, text in row.contributions
    )
    summary_note = '<p class="note">Summary written by marse-oscal, not the official text.</p>' if row.summary else ""
    statement = "".join(f"<p>{escape(PARAM_INSERT.sub('[parameter]', line))}</p>" for line in row.statement)
    gaps = "".join(f"<li>{escape(g)}</li>" for g in row.gaps)
    detail = (
        f"<details><summary>Details</summary><h4>Statement</h4>{summary_note}{statement}"
        + (f"<h4>Parameters</h4><table class=params><thead><tr><th>id</th><th>label</th><th>value</th></tr></thead>"
           f"<tbody>{params}</tbody></table>" if params else "")
        + (f"<h4>Contributions</h4><ul class=contrib>{contributions}</ul>" if contributions else "")
        + (f"<h4>Gaps</h4><ul class=gaps>{gaps}</ul>" if gaps else "")
        + "</details>"
    )  # fmt: skip
    return (
        f'<tr id="control-{escape(row.cid)}" data-control="{escape(label)}" data-family="{row.family}" '
        f'data-responsibility="{row.responsibility}" data-status="{row.status}" data-gaps="{1 if row.gaps else 0}">'
        f"<th scope=row>{escape(label)}</th><td>{escape(row.title)}</td><td>{row.family}</td>"
        f'<td><span class=badge data-kind="{row.responsibility}">{row.responsibility}</span></td>'
        f'<td><span class=badge data-kind="{row.status}">{row.status}</span></td>'
        f"<td>{len(row.gaps) or ''}</td><td>{detail}</td></tr>"
    )


def _flag(info_type: dict[str, Any], flag: str) -> str:
    return "yes" if prop_value(info_type, f"contains-{flag}", NAMESPACE) == "yes" else "no"


def render_report(
    ssp: dict[str, Any], catalog: ResolvedCatalog, totals: dict[str, int], rows: list[ControlRow] | None = None
) -> str:
    """The whole page. `totals` are validation findings by severity; `rows` when the caller already built them."""
    root = ssp["system-security-plan"]
    metadata = as_dict(root.get("metadata"))
    characteristics = as_dict(root.get("system-characteristics"))
    implementation = as_dict(root.get("system-implementation"))
    name = str(characteristics.get("system-name", "Unnamed system"))
    rows = rows if rows is not None else control_rows(ssp, catalog)
    impact = as_dict(characteristics.get("security-impact-level"))
    info_rows = "".join(
        f"<tr><td>{escape(str(t.get('title', '')))}</td>"
        + "".join(f"<td>{_flag(t, flag)}</td>" for flag in ("pii", "phi", "fti"))
        + "</tr>"
        for t in dicts(as_dict(characteristics.get("system-information")).get("information-types"))
    )  # fmt: skip
    authorizations = (
        "".join(
            f"<li>{escape(str(a.get('title', '')))} (authorized {escape(str(a.get('date-authorized', '')))})</li>"
            for a in dicts(implementation.get("leveraged-authorizations"))
        )
        or "<li>none</li>"
    )
    gap_rows = [r for r in rows if r.gaps]
    by_family: dict[str, list[ControlRow]] = {}
    for row in gap_rows:
        by_family.setdefault(row.family, []).append(row)
    gaps_html = "".join(
        f"<tr><th scope=row>{family}</th><td>{len(items)}</td><td>"
        + ", ".join(f'<a href="#control-{escape(r.cid)}">{escape(control_label(r.cid))}</a>' for r in items)
        + "</td></tr>"
        for family, items in sorted(by_family.items())
    )  # fmt: skip
    counts = Counter(r.responsibility for r in rows)
    status_counts = Counter(r.status for r in rows)
    families = sorted({r.family for r in rows})
    validation = f"{totals.get('error', 0)} errors, {totals.get('warning', 0)} warnings, {totals.get('note', 0)} notes"
    verdict = "valid" if not totals.get("error") else "has errors"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(name)}: MARS-E 2.0 SSP report</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{escape(name)}</h1>
<p class="sub">{escape(str(metadata.get("title", "")))} &middot; version {escape(str(metadata.get("version", "")))}
 &middot; last modified {escape(str(metadata.get("last-modified", "")))}</p>
<dl class="facts">
<div><dt>System id</dt><dd>{escape(", ".join(str(i.get("id")) for i in dicts(characteristics.get("system-ids"))))}</dd></div>
<div><dt>Categorization</dt><dd>{escape(str(characteristics.get("security-sensitivity-level", "not stated")))}
 (C {escape(str(impact.get("security-objective-confidentiality", "?")))}, I {escape(str(impact.get("security-objective-integrity", "?")))},
 A {escape(str(impact.get("security-objective-availability", "?")))})</dd></div>
<div><dt>Status</dt><dd>{escape(str(as_dict(characteristics.get("status")).get("state", "")))}</dd></div>
<div><dt>Validation</dt><dd id="validation" data-verdict="{verdict}">{verdict}: {validation}</dd></div>
<div><dt>Controls</dt><dd>{len(rows)}: {", ".join(f"{counts[k]} {k}" for k in RESPONSIBILITIES if counts[k])}</dd></div>
</dl>
<h2>Information types</h2>
<table class="info"><thead><tr><th scope=col>Type</th><th scope=col>PII</th><th scope=col>PHI</th><th scope=col>FTI</th></tr></thead>
<tbody>{info_rows}</tbody></table>
<h2>Leveraged authorizations</h2>
<ul>{authorizations}</ul>
</header>
<main>
<section id="charts" aria-label="Charts">
<h2>Controls by family</h2>
<figure><figcaption>By responsibility</figcaption>{_bar_chart("MARS-E controls by family and responsibility", rows, "responsibility", RESPONSIBILITIES)}</figure>
<figure><figcaption>By implementation status ({", ".join(f"{status_counts[s]} {s}" for s in STATUSES if status_counts[s])})</figcaption>
{_bar_chart("MARS-E controls by family and implementation status", rows, "status", STATUSES)}</figure>
</section>
<section id="controls" aria-label="Controls">
<h2>Controls</h2>
<form id="filters" role="search" onsubmit="return false">
<label>Search <input id="q" type="search" placeholder="AC-2, account, ..."></label>
<label>Family <select id="family"><option value="">all</option>{_options(families)}</select></label>
<label>Responsibility <select id="responsibility"><option value="">all</option>{_options([r for r in RESPONSIBILITIES if counts[r]])}</select></label>
<label>Status <select id="status"><option value="">all</option>{_options([s for s in STATUSES if status_counts[s]])}</select></label>
<label><input id="gaps" type="checkbox"> has gaps</label>
<output id="shown" aria-live="polite">{len(rows)} controls shown</output>
</form>
<table id="control-table">
<thead><tr><th scope=col>Control</th><th scope=col>Title</th><th scope=col>Family</th><th scope=col>Responsibility</th>
<th scope=col>Status</th><th scope=col>Gaps</th><th scope=col>Details</th></tr></thead>
<tbody>
{"".join(_row_html(r) for r in rows)}
</tbody>
</table>
</section>
<section id="gaps-section" aria-label="Gaps">
<h2>Gaps ({len(gap_rows)} controls)</h2>
{f'<table class="gaps"><thead><tr><th scope=col>Family</th><th scope=col>Controls</th><th scope=col>Which</th></tr></thead><tbody>{gaps_html}</tbody></table>' if gap_rows else "<p>No gaps: every control has its narratives and parameter values.</p>"}
</section>
</main>
<footer><p>Generated by marse-oscal from OSCAL. Statements of supplemental controls are summaries, not official text.</p></footer>
<script>{_SCRIPT}</script>
</body>
</html>
"""  # noqa: E501, S608 - an HTML page template (no SQL), unwrapped for reading


_CSS = """
:root{--fg:#1a1a1a;--muted:#4a4a4a;--line:#d0d0d0;--bg:#fff;--accent:#1b5e8a}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1240px;padding:16px 24px}
h1{margin:.2em 0;font-size:1.8em}h2{margin-top:1.4em;border-bottom:2px solid var(--line);padding-bottom:4px}
.sub{color:var(--muted);margin-top:0}.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:12px 0}
.facts div{min-width:160px}dt{font-weight:600;color:var(--muted);font-size:.85em;text-transform:uppercase}dd{margin:0}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;
vertical-align:top}thead th{background:#f2f4f7}table.info{width:auto}
figure{margin:0 0 16px}figcaption{font-weight:600;margin-bottom:4px}.chart{max-width:100%;height:auto}
.chart text{font-size:12px;fill:var(--fg)}.chart .group{font-weight:700}
#filters{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;margin:8px 0 12px;padding:10px;background:#f7f7f9;
border:1px solid var(--line)}#filters input[type=search]{padding:4px 6px;min-width:220px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;background:#6b6b6b;font-size:.85em}
.badge[data-kind=provider]{background:#1b5e8a}.badge[data-kind=shared]{background:#3b6e16}
.badge[data-kind=customer],.badge[data-kind=planned]{background:#b35900}.badge[data-kind=implemented]{background:#2e7d32}
.badge[data-kind=partial]{background:#7a6000}.badge[data-kind=alternative]{background:#5e35b1}
details summary{cursor:pointer;color:var(--accent)}details[open]{background:#fafbfc}.gap,em.gap{color:#a40000}
.note{color:#7a4a00;font-style:italic}ul.contrib{padding-left:18px}code{font-size:.9em}
tr[hidden]{display:none}footer{color:var(--muted);margin-top:2em;font-size:.9em}
@media print{#filters{display:none}details{display:block}details>*{display:block}tr{break-inside:avoid}}
"""

_SCRIPT = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('#control-table tbody tr'));
  var ids=['q','family','responsibility','status','gaps'];
  function get(id){var e=document.getElementById(id);return e.type==='checkbox'?(e.checked?'1':''):e.value;}
  function apply(){
    var q=get('q').trim().toLowerCase(),f=get('family'),r=get('responsibility'),s=get('status'),g=get('gaps'),n=0;
    rows.forEach(function(row){
      var text=(row.getAttribute('data-control')+' '+row.children[1].textContent).toLowerCase();
      var ok=(!q||text.indexOf(q)>=0)&&(!f||row.getAttribute('data-family')===f)&&
        (!r||row.getAttribute('data-responsibility')===r)&&(!s||row.getAttribute('data-status')===s)&&
        (!g||row.getAttribute('data-gaps')==='1');
      row.hidden=!ok;if(ok){n++;}
    });
    document.getElementById('shown').textContent=n+' controls shown';
  }
  var params=new URLSearchParams(location.hash.replace(/^#/,''));
  ids.forEach(function(id){
    var e=document.getElementById(id),v=params.get(id);
    if(v!==null){if(e.type==='checkbox'){e.checked=v==='1';}else{e.value=v;}}
    e.addEventListener('input',apply);e.addEventListener('change',apply);
  });
  apply();
})();
"""
