"""Mapping models: places, accessibility features, disabled parking, and their review trail."""

from mapping.models.features import AccessibilityFeature
from mapping.models.observation import Observation
from mapping.models.parking import DisabledParkingSpot, LotKind
from mapping.models.places import Entrance, Place
from mapping.models.review import EditConflict, Photo, Vote, VoteValue
from mapping.models.vocab import (
    Crossing,
    FeatureType,
    Kerb,
    OsmType,
    PermitType,
    PlaceCategory,
    RampWheelchair,
    ReviewStatus,
    Smoothness,
    Source,
    Surface,
    Wheelchair,
)

__all__ = [
    "AccessibilityFeature",
    "Crossing",
    "DisabledParkingSpot",
    "EditConflict",
    "Entrance",
    "FeatureType",
    "Kerb",
    "LotKind",
    "Observation",
    "OsmType",
    "PermitType",
    "Photo",
    "Place",
    "PlaceCategory",
    "RampWheelchair",
    "ReviewStatus",
    "Smoothness",
    "Source",
    "Surface",
    "Vote",
    "VoteValue",
    "Wheelchair",
]
