"""Write a built graph into PostGIS (``routing_graph*`` tables) with COPY, in one transaction.

Rows carry OSM-style values (``surface='asphalt'``), blank or NULL when unknown, so tiles, QA and
ad-hoc SQL need no vocabulary. A new build of an area becomes active and the previous builds of
that area are deleted in the same transaction: readers never see a half-written graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.contrib.gis.geos import Polygon
from django.db import connection, transaction

from routing.graph.contract import EDGE_SPECS, VOCABULARIES, reverse_values
from routing.graph.graph import PedestrianGraph
from routing.models import GraphBuild, GraphEdge, GraphNode

_TRI = np.array([False, True, None], dtype=object)  # index -1 -> None


def labels(vocabulary: str, codes: np.ndarray) -> np.ndarray:
    """OSM values for codes; '' where unknown."""
    table = np.array([*VOCABULARIES[vocabulary], ""], dtype=object)
    return table[np.asarray(codes, dtype=np.int64)]


def present(values: np.ndarray) -> np.ndarray:
    """Integers with negative (unknown / none) -> None."""
    values = np.asarray(values)
    out = values.astype(object)
    out[values < 0] = None
    return out


def tristate(codes: np.ndarray) -> np.ndarray:
    return _TRI[np.asarray(codes, dtype=np.int64)]


def nullable(values: np.ndarray) -> np.ndarray:
    """Floats with NaN -> None (SQL NULL)."""
    out = np.asarray(values, dtype=np.float64).astype(object)
    out[~np.isfinite(np.asarray(values, dtype=np.float64))] = None
    return out


def epoch_to_datetime(values: np.ndarray) -> np.ndarray:
    """Epoch seconds (NaN / negative / inf = unknown) -> aware datetimes or None."""
    seconds = np.asarray(values, dtype=np.float64)
    out = np.full(len(seconds), None, dtype=object)
    known = np.isfinite(seconds) & (seconds >= 0)
    out[known] = [datetime.fromtimestamp(s, tz=UTC) for s in seconds[known].tolist()]
    return out


def forward_attributes(graph: PedestrianGraph) -> dict[str, np.ndarray]:
    """Per segment, the attributes of its u -> v direction (from the forward or reverse edge)."""
    seg, edges = graph.segments, graph.edges
    forward, backward = seg["forward_edge"], seg["backward_edge"]
    has_forward = forward >= 0
    pick = np.where(has_forward, forward, backward)
    out = {}
    for name, spec in EDGE_SPECS.items():
        if name not in edges:
            continue
        direct = np.asarray(edges[name])[pick]
        flipped = reverse_values(spec, {k: np.asarray(v) for k, v in edges.items()}, pick)
        out[name] = np.where(has_forward, direct, flipped)
    return out


def edge_columns(graph: PedestrianGraph, segments: np.ndarray | None = None) -> dict[str, Any]:
    """Column values of ``routing_graphedge`` for all (or the given) segments."""
    attrs = forward_attributes(graph)
    seg = graph.segments
    index = np.arange(graph.segment_count) if segments is None else np.asarray(segments)
    a = {k: v[index] for k, v in attrs.items()}
    forward, backward = seg["forward_edge"][index], seg["backward_edge"][index]
    u, v = np.asarray(seg["u"])[index], np.asarray(seg["v"])[index]
    barrier = labels("barrier", np.asarray(graph.nodes["barrier"]))
    return {
        "segment_index": index,
        "forward_edge": present(forward),
        "backward_edge": present(backward),
        "u_index": u,
        "v_index": v,
        "osm_way_id": present(seg["osm_way_id"][index]),
        "osm_node_id": present(seg["osm_node_id"][index]),
        "source": labels("source", seg["source"][index]),
        "kind": labels("kind", a["kind"]),
        "length_m": a["length_m"].astype(np.float64),
        "incline_pct": nullable(a["incline_pct"]),
        "incline_dir": labels("incline_dir", a["incline_dir"]),
        "grade_mean_pct": nullable(a["grade_mean_pct"]),
        "grade_max_up_pct": nullable(a["grade_max_up_pct"]),
        "grade_max_down_pct": nullable(a["grade_max_down_pct"]),
        "grade_source": labels("grade_source", a["grade_source"]),
        "grade_confidence": nullable(a["grade_confidence"]),
        "width_m": nullable(a["width_m"]),
        "surface": labels("surface", a["surface"]),
        "smoothness": labels("smoothness", a["smoothness"]),
        "kerb_u": labels("kerb", a["kerb_u"]),
        "kerb_v": labels("kerb", a["kerb_v"]),
        "kerb_u_cm": nullable(a["kerb_u_cm"]),
        "kerb_v_cm": nullable(a["kerb_v_cm"]),
        "step_count": present(a["step_count"]),
        "handrail": tristate(a["handrail"]),
        "ramp_wheelchair": labels("ramp_wheelchair", a["ramp_wheelchair"]),
        "elevator": tristate(a["elevator"]),
        "escalator": tristate(a["escalator"]),
        "wheelchair": labels("wheelchair", a["wheelchair"]),
        "crossing": labels("crossing", a["crossing"]),
        "crossing_signals": tristate(a["crossing_signals"]),
        "sidewalk": labels("sidewalk", a["sidewalk"]),
        "no_sidewalk": tristate(a["no_sidewalk"]),
        "lit": tristate(a["lit"]),
        "tactile_paving": tristate(a["tactile_paving"]),
        "structure": a["structure"],
        "component": np.asarray(graph.nodes["component"])[u],
        "osm_timestamp": epoch_to_datetime(seg["osm_timestamp_s"][index]),
        "overlay_feature_id": present(a["overlay_feature_id"]),
        "overlay_confidence": nullable(a["overlay_confidence"]),
        "overlay_observed_at": epoch_to_datetime(a["overlay_observed_s"]),
        "obstacle_width_m": nullable(a["obstacle_width_m"]),
        "obstacle_until": epoch_to_datetime(a["obstacle_until_s"]),
        "barrier_u": barrier[u],
        "barrier_v": barrier[v],
    }


def segment_wkb(graph: PedestrianGraph, segments: np.ndarray | None = None) -> np.ndarray:
    """Hex EWKB (SRID 4326) LineStrings of segments."""
    seg = graph.segments
    offsets = np.asarray(seg["geom_offsets"])
    coords = np.column_stack((seg["geom_lon"], seg["geom_lat"]))
    parts = np.repeat(np.arange(graph.segment_count), np.diff(offsets))
    lines = shapely.linestrings(coords, indices=parts)
    if segments is not None:
        lines = lines[np.asarray(segments)]
    lines = shapely.set_srid(lines, 4326)
    return shapely.to_wkb(lines, hex=True, include_srid=True)


def _copy(table: str, columns: list[str], rows: Iterator[Sequence[Any]]) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_nodes(build: GraphBuild, graph: PedestrianGraph) -> None:
    nodes = graph.nodes
    points = shapely.set_srid(shapely.points(nodes["lon"], nodes["lat"]), 4326)
    columns: dict[str, Any] = {
        "graph_id": [build.pk] * graph.node_count,
        "node_index": np.arange(graph.node_count),
        "osm_id": present(nodes["osm_id"]),
        "geom": shapely.to_wkb(points, hex=True, include_srid=True),
        "elevation_m": nullable(nodes["elevation_m"]),
        "kerb": labels("kerb", nodes["kerb"]),
        "kerb_height_cm": nullable(nodes["kerb_height_cm"]),
        "barrier": labels("barrier", nodes["barrier"]),
        "crossing": labels("crossing", nodes["crossing"]),
        "elevator": np.asarray(nodes["elevator"]) == 1,
        "wheelchair": labels("wheelchair", nodes["wheelchair"]),
        "component": nodes["component"],
    }
    _copy(
        GraphNode._meta.db_table,
        list(columns),
        zip(*(_plain(c) for c in columns.values()), strict=True),
    )


def _plain(values: Sequence[Any]) -> list[Any]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _copy_edges(build: GraphBuild, graph: PedestrianGraph) -> None:
    columns = {"graph_id": [build.pk] * graph.segment_count, **edge_columns(graph)}
    columns["geom"] = segment_wkb(graph)
    _copy(
        GraphEdge._meta.db_table,
        list(columns),
        zip(*(_plain(c) for c in columns.values()), strict=True),
    )


def store_graph(
    graph: PedestrianGraph, *, name: str, directory: Path, activate: bool = True
) -> GraphBuild:
    """Insert the build record, nodes and edges; make it the active build of ``name``."""
    meta = graph.meta
    lon_min, lat_min, lon_max, lat_max = meta["bbox"]
    dem = meta.get("dem", {})
    with transaction.atomic():
        if activate:
            GraphBuild.objects.filter(name=name).delete()
        build = GraphBuild.objects.create(
            name=name,
            build_id=meta["build_id"],
            directory=str(directory),
            source_path=meta["source"]["path"],
            source_format=meta["source"]["format"],
            source_sha256=meta["source"]["sha256"],
            dem_path=dem.get("path", ""),
            dem_sha256=dem.get("sha256", ""),
            built_at=datetime.fromisoformat(meta["built_at"]),
            format_version=meta.get("format_version", 1),
            bbox=Polygon.from_bbox((lon_min, lat_min, lon_max, lat_max)),
            node_count=graph.node_count,
            segment_count=graph.segment_count,
            edge_count=graph.edge_count,
            summary=dict(graph.report),
            is_active=activate,
        )
        build.bbox.srid = 4326
        _copy_nodes(build, graph)
        _copy_edges(build, graph)
    return build


def update_edge_rows(build: GraphBuild, graph: PedestrianGraph, segments: np.ndarray) -> int:
    """Rewrite the attribute columns of ``segments`` (after an overlay change); returns the count."""
    if len(segments) == 0:
        return 0
    columns = edge_columns(graph, np.unique(segments))
    names = [n for n in columns if n not in ("segment_index",)]
    rows = list(zip(*(_plain(columns[n]) for n in ["segment_index", *names]), strict=True))
    table = GraphEdge._meta.db_table
    assignments = ", ".join(f"{n} = t.{n}" for n in names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS overlay_rows")
        cursor.execute(f"CREATE TEMP TABLE overlay_rows (LIKE {table} INCLUDING DEFAULTS)")
        cursor.execute("ALTER TABLE overlay_rows ALTER COLUMN id DROP NOT NULL")
        cursor.execute("ALTER TABLE overlay_rows ALTER COLUMN graph_id DROP NOT NULL")
        cursor.execute("ALTER TABLE overlay_rows ALTER COLUMN geom DROP NOT NULL")
        with cursor.cursor.copy(
            f"COPY overlay_rows (segment_index, {', '.join(names)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"UPDATE {table} e SET {assignments} FROM overlay_rows t "  # noqa: S608 (fixed names)
            "WHERE e.graph_id = %s AND e.segment_index = t.segment_index",
            [build.pk],
        )
        count = cursor.rowcount
        cursor.execute("DROP TABLE overlay_rows")
        return count
