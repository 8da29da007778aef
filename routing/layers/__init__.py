"""Map layers of the pedestrian graph (registered from :mod:`routing.map_layers`)."""
