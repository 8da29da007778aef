"""A hand-made network (OSM XML) whose right answers are known by construction.

A ---- direct (incline=10%, A->B uphill, 100 m) ---- B
 \\--- C --- flat detour (about 300 m) ----------/
B -- kerb node K (raised, 6 cm) -- D   (D only reachable over that kerb)
"""

from __future__ import annotations

from pathlib import Path

LON0, LAT0 = 126.9200, 37.5200
DEG_PER_M_LAT = 1 / 111_195
DEG_PER_M_LON = DEG_PER_M_LAT / 0.7934

NODES = {
    "A": (0, 0),
    "B": (100, 0),
    "C": (50, 120),
    "K": (130, 0),
    "D": (160, 0),
}


def lonlat(name: str) -> tuple[float, float]:
    x, y = NODES[name]
    return LON0 + x * DEG_PER_M_LON, LAT0 + y * DEG_PER_M_LAT


def write_tiny_osm(path: Path) -> Path:
    ids = {name: i + 1 for i, name in enumerate(NODES)}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for name, node_id in ids.items():
        lon, lat = lonlat(name)
        tags = ""
        if name == "K":
            tags = '<tag k="barrier" v="kerb"/><tag k="kerb" v="raised"/><tag k="kerb:height" v="6 cm"/>'
        stamp = 'version="1" timestamp="2024-01-01T00:00:00Z"'
        lines.append(f'<node id="{node_id}" {stamp} lat="{lat:.7f}" lon="{lon:.7f}">{tags}</node>')
    ways = [
        ("A B", {"highway": "footway", "incline": "10%", "surface": "asphalt"}),
        ("A C B", {"highway": "footway", "surface": "asphalt"}),
        ("B K D", {"highway": "footway", "surface": "asphalt"}),
    ]
    for i, (nodes, tags) in enumerate(ways, start=100):
        refs = "".join(f'<nd ref="{ids[n]}"/>' for n in nodes.split())
        tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        lines.append(
            f'<way id="{i}" version="1" timestamp="2024-01-01T00:00:00Z">{refs}{tag_xml}</way>'
        )
    lines.append("</osm>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
