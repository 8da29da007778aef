"""The default tile cache: Django's file cache, culled now and then instead of on every write.

``FileBasedCache`` lists its whole directory before each write to decide whether to cull; with
thousands of tiles that listing costs more than a small tile takes to build. Tiles are written
only on a miss and culling is approximate anyway, so one write in ``CULL_EVERY`` checks.
"""

from __future__ import annotations

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class TileFileCache(FileBasedCache):
    def _cull(self) -> None:
        if random.randrange(CULL_EVERY) == 0:
            super()._cull()  # type: ignore[misc]  # private in the stubs, stable in Django
