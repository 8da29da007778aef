"""The pedestrian accessibility graph: build from OSM / OpenSidewalks + DEM, store, overlay, QA.

The array contract the routing engine relies on is documented in :mod:`routing.graph.contract`.
"""
