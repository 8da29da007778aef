"""Where input files come from: the shared data directory, read in place, or a configured URL."""

from __future__ import annotations

import hashlib
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings

from importers.errors import ImporterError


def data_file(relative: str, *, url: str | None = None) -> Path:
    """``DATA_DIR/relative`` when present; else download ``url`` (if given) into the download dir."""
    base: Path = settings.DATA_DIR
    if str(base) and (base / relative).is_file():
        return base / relative
    if url:
        return download(url)
    raise ImporterError(
        f"{relative} is not in the data directory {base or '(unset)'}; set MODUGIL_DATA_DIR"
        " (or MODUGIL_OSM_URL for the OSM extract).",
        fields={"path": ["File not found."]},
    )


def download(url: str, dest_dir: Path | None = None) -> Path:
    """Fetch ``url`` once (cached by URL), writing to a temporary name first so a failure leaves nothing."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise ImporterError(
            "Only http(s) URLs can be downloaded.", fields={"url": ["Use http or https."]}
        )
    dest_dir = dest_dir or settings.DOWNLOAD_DIR
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = Path(parsed.path).name or "download"
    target = dest_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:12]}-{name}"
    if target.is_file():
        return target
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=120) as response, partial.open("wb") as out:  # noqa: S310
            shutil.copyfileobj(response, out, length=1 << 20)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise ImporterError(f"Download of {url} failed: {e}", fields={"url": [str(e)]}) from e
    partial.rename(target)
    return target
