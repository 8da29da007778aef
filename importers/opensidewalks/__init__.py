"""OpenSidewalks (OSW 0.2) GeoJSON: read as a graph source, export our graph, validate."""
