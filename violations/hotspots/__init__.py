"""Hotspot analysis: H3 hexagon counts, kernel density, Getis-Ord Gi*, ranking with trend.

``analysis`` is pure (pandas / numpy / h3 / esda, no database) so that notebooks and the
benchmark reuse it; ``aggregate`` runs the filters and the hexagon counts in PostgreSQL.
"""
