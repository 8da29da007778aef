"""Summary, verdicts and the README table of benchmarks/routing.py.

Ratios are peer p50 / modugil p50 over the same pairs (networkx and pgRouting run fewer pairs
on the 1M-edge city: modugil's median is then taken over those pairs too). modugil's answers
from coordinates are compared with Valhalla and OSRM (which take coordinates), its answers
from graph nodes with networkx and pgRouting (which take nodes). "Routed" medians only count
the pairs where both engines found a route, since a no-route answer (most Yeouido pairs for a
wheelchair) is nearly free for every engine and pulls the medians down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

README = Path(__file__).resolve().parent / "README.md"
PEERS = ("networkx", "pgrouting", "valhalla", "osrm")
MODUGIL_SIDE = {"valhalla": "coords", "osrm": "coords", "networkx": "nodes", "pgrouting": "nodes"}
TARGETS = (
    ("valhalla", 3.0, "modugil p50 ≤ 1/3 of Valhalla wheelchair"),
    ("networkx", 20.0, "modugil p50 ≤ 1/20 of networkx"),
    ("osrm", 0.5, "modugil p50 within 2× of OSRM CH"),
)
CITY_1M_P50_MS = 10.0


def _ms(latencies: list[float], q: float) -> float | None:
    return round(float(np.percentile(latencies, q)) * 1000, 3) if latencies else None


def _routed(result: Any) -> bool:
    """A pair's result is routed: modugil coords give a length or None, the others a tuple."""
    if isinstance(result, list | tuple):
        return result[-1] is not None
    return result is not None


def _row(latency: list[float], results: list[Any]) -> dict[str, Any]:
    routed = [t for t, r in zip(latency, results, strict=True) if _routed(r)]
    return {
        "p50_ms": _ms(latency, 50),
        "p95_ms": _ms(latency, 95),
        "p50_routed_ms": _ms(routed, 50),
        "p95_routed_ms": _ms(routed, 95),
        "routes": len(routed),
        "pairs": len(results),
    }


def _agreement(engine: str, peer: list[Any], mod: dict[str, Any]) -> str:
    if engine in ("networkx", "pgrouting"):
        reference = mod["nodes"]["result"]
        same = sum(
            (a[0] is None and b[0] is None)
            or (a[0] is not None and b[0] is not None and abs(a[0] - b[0]) <= 1e-6 * max(1.0, a[0]))
            for a, b in zip(peer, reference, strict=False)
        )
        return f"{same}/{len(peer)} same cost"
    mine = mod["coords"]["result"]
    diffs = [
        abs(b[1] - a) / a * 100 for a, b in zip(mine, peer, strict=False) if a and b[1] is not None
    ]
    only_peer = sum(a is None and b[1] is not None for a, b in zip(mine, peer, strict=False))
    only_us = sum(a is not None and b[1] is None for a, b in zip(mine, peer, strict=False))
    return (
        f"length within 5 %: {sum(d <= 5 for d in diffs)}/{len(diffs)}; "
        f"route only {engine}: {only_peer}, only modugil: {only_us}"
    )


def _ratios(mod: dict[str, Any], raw: dict[str, Any]) -> tuple[dict[str, float], dict[str, float]]:
    """Peer p50 / modugil p50 on the same pairs: all of them, and those both routed."""
    everything, routed = {}, {}
    for engine, side in MODUGIL_SIDE.items():
        peer = raw.get(engine)
        if not peer or "error" in peer:
            continue
        count = len(peer["latency_s"])
        mine_t = mod[side]["latency_s"][:count]
        mine_r = mod[side]["result"][:count]
        peer_p50 = np.median(peer["latency_s"])
        everything[engine] = round(float(peer_p50 / np.median(mine_t)), 2)
        both = [i for i in range(count) if _routed(mine_r[i]) and _routed(peer["result"][i])]
        if both:
            theirs = np.median([peer["latency_s"][i] for i in both])
            ours = np.median([mine_t[i] for i in both])
            routed[engine] = round(float(theirs / ours), 2)
    return everything, routed


def summarise(name: str, raw: dict[str, Any], pairs: int) -> dict[str, Any]:
    mod = raw["modugil"]
    rows: dict[str, Any] = {
        "modugil (coords)": _row(mod["coords"]["latency_s"], mod["coords"]["result"]),
        "modugil (nodes)": _row(mod["nodes"]["latency_s"], mod["nodes"]["result"]),
    }
    for side in ("coords", "nodes"):
        rows[f"modugil ({side})"].update(
            build_s=round(raw["graph"]["build_s"] + mod["prepare_s"], 2),
            build_peak_mb=raw["graph"].get("build_peak_mb"),
            peak_mb=round(mod["peak_mb"], 1),
        )
    for engine in PEERS:
        peer = raw.get(engine)
        if not peer or "error" in peer:
            continue
        rows[engine] = {
            **_row(peer["latency_s"], peer["result"]),
            "agreement": _agreement(engine, peer["result"], mod),
            "build_s": peer.get("build_s"),
            "build_peak_mb": None
            if peer.get("build_peak_mb") is None
            else round(peer["build_peak_mb"], 1),
            "peak_mb": None if peer.get("peak_mb") is None else round(peer["peak_mb"], 1),
        }
    everything, routed = _ratios(mod, raw)
    keep = (
        "prepare_s",
        "graph_prepare_s",
        "landmarks_s",
        "hierarchy_s",
        "hierarchy_arcs",
        "walking_hierarchy_s",
    )
    return {
        "dataset": name,
        "graph": raw["graph"],
        "pairs": pairs,
        "load_average": raw.get("load_average"),
        "engines": rows,
        "ratios_peer_over_modugil_p50": everything,
        "ratios_routed_pairs": routed,
        "modugil_full_response_p50_ms": _ms(mod.get("full_response_s", []), 50),
        "modugil_full_response_p95_ms": _ms(mod.get("full_response_s", []), 95),
        "modugil_no_route_explained_p50_ms": _ms(mod.get("no_route_explained_s", []), 50),
        "modugil_preparation": {k: mod.get(k) for k in keep},
        "peer_builds_reused": [e for e in PEERS if raw.get(e, {}).get("reused")],
        "errors": {e: raw[e]["error"] for e in PEERS if e in raw and "error" in raw[e]},
    }


def verdicts(summary: dict[str, Any]) -> list[str]:
    out = []
    routed = summary.get("ratios_routed_pairs", {})
    for engine, needed, text in TARGETS:
        ratio = summary["ratios_peer_over_modugil_p50"].get(engine)
        if ratio is None:
            continue
        on_all = ratio >= needed
        on_routed = routed.get(engine, ratio) >= needed
        status = (
            "met"
            if on_all and on_routed
            else "MISSED"
            if not on_all and not on_routed
            else "met on all pairs, MISSED on routed pairs"
            if on_all
            else "met on routed pairs, MISSED on all pairs"
        )
        line = f"{status}: {text} (×{ratio} on all pairs"
        if engine in routed:
            line += f"; ×{routed[engine]} on pairs both routed"
        out.append(line + ")")
    if summary["dataset"] == "city-1m":
        row = summary["engines"]["modugil (coords)"]
        for label, key in (("all pairs", "p50_ms"), ("routed pairs", "p50_routed_ms")):
            p50 = row[key]
            ok = p50 is not None and p50 < CITY_1M_P50_MS
            out.append(
                f"{'met' if ok else 'MISSED'}: p50 under {CITY_1M_P50_MS:g} ms on the 1M city "
                f"from coordinates, {label} ({p50} ms)"
            )
    return out


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def dataset_lines(s: dict[str, Any]) -> list[str]:
    g = s["graph"]
    prep = s["modugil_preparation"]
    lines = [
        f"**{s['dataset']}** ({g['nodes']:,} nodes, {g['edges']:,} directed edges; load average "
        f"{s.get('load_average') or '–'} when its run started; modugil preparation "
        f"{prep.get('prepare_s')} s of which landmarks {prep.get('landmarks_s')} s and "
        f"contraction hierarchy {prep.get('hierarchy_s')} s ({_fmt(prep.get('hierarchy_arcs'))} "
        f"arcs), walking comparison's hierarchy {_fmt(prep.get('walking_hierarchy_s'))} s; "
        f"full GeoJSON answer p50 {s['modugil_full_response_p50_ms']} ms, p95 "
        f"{s.get('modugil_full_response_p95_ms')} ms; a no-route answer with its explanation p50 "
        f"{s['modugil_no_route_explained_p50_ms']} ms)",
        "",
        "| engine | p50 ms | p95 ms | p50 ms routed | p95 ms routed | routes found | build s "
        "| build peak MB | query peak MB | agreement |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for engine, row in s["engines"].items():
        lines.append(
            f"| {engine} | {_fmt(row['p50_ms'])} | {_fmt(row['p95_ms'])} "
            f"| {_fmt(row['p50_routed_ms'])} | {_fmt(row['p95_routed_ms'])} "
            f"| {row['routes']}/{row['pairs']} | {_fmt(row['build_s'])} "
            f"| {_fmt(row.get('build_peak_mb'))} | {_fmt(row['peak_mb'])} "
            f"| {row.get('agreement', '–')} |"
        )
    ratios = ", ".join(f"{k} ×{v}" for k, v in s["ratios_peer_over_modugil_p50"].items())
    routed = ", ".join(f"{k} ×{v}" for k, v in s.get("ratios_routed_pairs", {}).items())
    lines += [
        "",
        f"Ratios (peer p50 / modugil p50, same pairs): {ratios}; on pairs both routed: {routed}.",
        "",
    ]
    lines += [f"- {v}" for v in verdicts(s)]
    if s.get("peer_builds_reused"):
        lines.append(
            f"- builds reused from an earlier run of the same command on the same file: "
            f"{', '.join(s['peer_builds_reused'])} (time and peak as measured then)"
        )
    lines += [f"- not run: {k}: {v}" for k, v in s["errors"].items()]
    lines += [f"- note: {note}" for note in s.get("notes", [])]
    return [*lines, ""]


def write_readme(report: dict[str, Any], intro: str) -> None:
    lines = [
        "<!-- routing:start -->",
        "### Routing (`python -m benchmarks.routing`)",
        "",
        intro,
        "",
    ]
    for s in report["datasets"]:
        lines += dataset_lines(s)
    lines += ["Raw numbers: `benchmarks/results/routing.json`.", "<!-- routing:end -->"]
    text = README.read_text(encoding="utf-8")
    block = "\n".join(lines)
    if "<!-- routing:start -->" in text:
        head, rest = text.split("<!-- routing:start -->", 1)
        text = head + block + rest.split("<!-- routing:end -->", 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")
