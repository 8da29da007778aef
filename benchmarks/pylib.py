"""Libraries only the baselines need (SQLAlchemy + GeoAlchemy2 for GeoPandas' ``to_postgis``),
installed once under ``benchmarks/work/pylib`` and kept out of the project's venv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PYLIB = Path(__file__).resolve().parent / "work" / "pylib"


def ensure_pylib() -> None:
    """Install the baselines' libraries if missing and put them on ``sys.path``."""
    if not (PYLIB / "geoalchemy2").is_dir():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--target",
                str(PYLIB),
                "sqlalchemy>=2",
                "geoalchemy2",
            ],
            check=True,
        )
    if str(PYLIB) not in sys.path:
        sys.path.append(str(PYLIB))
