"""Routing models: built pedestrian graphs, their PostGIS tables and crowdsourced overlay."""

from routing.models.graph import GraphBuild, GraphEdge, GraphNode, GraphOverlayItem

__all__ = ["GraphBuild", "GraphEdge", "GraphNode", "GraphOverlayItem"]
