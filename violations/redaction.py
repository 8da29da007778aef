"""Automatic blurring of plates and faces with OpenCV's bundled Haar cascades, plus manual boxes.

The detector ships inside opencv-python-headless (``cv2.data.haarcascades``): nothing is
downloaded at run time. Detection errs on the side of blurring; an official checks every
redacted photo and can add rectangles before it is published.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np

CASCADES = {
    "plate": ("haarcascade_russian_plate_number.xml", "haarcascade_license_plate_rus_16stages.xml"),
    "face": ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml"),
}
DETECT_SIDE_PX = 1280  # detection runs on a copy this large at most
MARGIN_PCT = 15  # boxes grow by this much on each side so that edges are covered too

Region = list[int | str]  # [x, y, w, h, kind]


@cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    path = Path(cv2.data.haarcascades) / name  # type: ignore[attr-defined]
    classifier = cv2.CascadeClassifier(str(path))
    if classifier.empty():
        msg = f"OpenCV cascade {name} is missing from the installed package"
        raise RuntimeError(msg)
    return classifier


def decode(jpeg: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        msg = "not a decodable image"
        raise ValueError(msg)
    return image


def encode(image: np.ndarray) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        msg = "JPEG encoding failed"
        raise ValueError(msg)
    return bytes(buffer.tobytes())


def detect_regions(jpeg: bytes) -> list[Region]:
    """Boxes around likely plates and faces, in the stored image's pixel coordinates."""
    image = decode(jpeg)
    height, width = image.shape[:2]
    scale = min(1.0, DETECT_SIDE_PX / max(height, width))
    small = cv2.resize(image, (round(width * scale), round(height * scale))) if scale < 1 else image
    gray = cv2.equalizeHist(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
    regions: list[Region] = []
    for kind, names in CASCADES.items():
        for name in names:
            found = _cascade(name).detectMultiScale(gray, scaleFactor=1.08, minNeighbors=3)
            for x, y, w, h in found:
                box = _grow((x / scale, y / scale, w / scale, h / scale), width, height)
                regions.append([*box, kind])
    return _dedupe(regions)


def _grow(box: tuple[float, float, float, float], width: int, height: int) -> list[int]:
    x, y, w, h = box
    dx, dy = w * MARGIN_PCT / 100, h * MARGIN_PCT / 100
    x0, y0 = max(0, int(x - dx)), max(0, int(y - dy))
    x1, y1 = min(width, int(x + w + dx + 1)), min(height, int(y + h + dy + 1))
    return [x0, y0, x1 - x0, y1 - y0]


def _dedupe(regions: list[Region]) -> list[Region]:
    """Drop boxes entirely inside another box of the same kind."""
    kept: list[Region] = []
    for r in sorted(regions, key=lambda r: -int(r[2]) * int(r[3])):
        x, y, w, h = (int(v) for v in r[:4])
        inside = any(
            k[4] == r[4]
            and int(k[0]) <= x
            and int(k[1]) <= y
            and x + w <= int(k[0]) + int(k[2])
            and y + h <= int(k[1]) + int(k[3])
            for k in kept
        )
        if not inside:
            kept.append(r)
    return kept


def clean_rectangles(
    boxes: object, width: int, height: int, field: str = "regions"
) -> list[Region]:
    """Validate manual rectangles [[x, y, w, h], ...] against the image size."""
    from modugil.errors import InvalidInput

    if not isinstance(boxes, list) or len(boxes) > 50:
        msg = "Send a list of at most 50 rectangles [x, y, w, h] in pixels."
        raise InvalidInput(msg, fields={field: [msg]})
    cleaned: list[Region] = []
    for i, box in enumerate(boxes):
        ok = isinstance(box, list | tuple) and len(box) == 4
        values = (
            [int(v) for v in box] if ok and all(isinstance(v, int | float) for v in box) else []
        )
        if not values or values[2] <= 0 or values[3] <= 0:
            msg = f"Rectangle {i} must be [x, y, w, h] with positive width and height."
            raise InvalidInput(msg, fields={field: [msg]})
        x, y, w, h = values
        if x < 0 or y < 0 or x + w > width or y + h > height:
            msg = f"Rectangle {i} lies outside the {width}x{height} photo."
            raise InvalidInput(msg, fields={field: [msg]})
        cleaned.append([x, y, w, h, "manual"])
    return cleaned


def render(jpeg: bytes, regions: list[Region]) -> bytes:
    """A copy with every region pixelated and blurred beyond recognition."""
    image = decode(jpeg)
    for region in regions:
        x, y, w, h = (int(v) for v in region[:4])
        patch = image[y : y + h, x : x + w]
        if patch.size == 0:
            continue
        cells = (max(1, w // 12), max(1, h // 12))
        coarse = cv2.resize(patch, cells, interpolation=cv2.INTER_AREA)
        blocky = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST)
        image[y : y + h, x : x + w] = cv2.GaussianBlur(blocky, (0, 0), sigmaX=max(w, h) / 10)
    return encode(image)
