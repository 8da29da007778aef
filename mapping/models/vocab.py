"""Controlled vocabularies, following OSM values where OSM has them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SURVEY = "survey", _("On-site survey")
    OSM = "osm", _("OpenStreetMap")
    PUBLIC_DATA = "public_data", _("Public data")
    SENSOR = "sensor", _("Sensor")
    IMPORT = "import", _("Other import")


# Prior confidence by source, before any validation vote.
SOURCE_PRIOR_CONFIDENCE = {
    Source.SURVEY: 0.6,
    Source.OSM: 0.5,
    Source.PUBLIC_DATA: 0.6,
    Source.SENSOR: 0.8,
    Source.IMPORT: 0.5,
}


class ReviewStatus(models.TextChoices):
    UNVALIDATED = "unvalidated", _("Not yet validated")
    VALIDATED = "validated", _("Validated as correct")
    DISPUTED = "disputed", _("Disputed")
    REJECTED = "rejected", _("Validated as incorrect")


class FeatureType(models.TextChoices):
    KERB = "kerb", _("Kerb")
    CURB_RAMP = "curb_ramp", _("Curb ramp")
    STEPS = "steps", _("Steps")
    RAMP = "ramp", _("Ramp")
    ELEVATOR = "elevator", _("Elevator")
    OBSTACLE = "obstacle", _("Obstacle")
    SURFACE_PROBLEM = "surface_problem", _("Surface problem")
    NARROW_PASSAGE = "narrow_passage", _("Narrow passage")
    STEEP_SLOPE = "steep_slope", _("Steep slope")
    TACTILE_PAVING = "tactile_paving", _("Tactile paving")
    CROSSING = "crossing", _("Crossing")


class Kerb(models.TextChoices):
    """OSM ``kerb=*``."""

    RAISED = "raised", _("Raised")
    LOWERED = "lowered", _("Lowered")
    FLUSH = "flush", _("Flush")
    ROLLED = "rolled", _("Rolled")
    NO = "no", _("No kerb")


class Surface(models.TextChoices):
    """OSM ``surface=*`` values, best first (openrouteservice's ranking)."""

    PAVED = "paved", _("Paved")
    ASPHALT = "asphalt", _("Asphalt")
    CONCRETE = "concrete", _("Concrete")
    PAVING_STONES = "paving_stones", _("Paving stones")
    CONCRETE_PLATES = "concrete:plates", _("Concrete plates")
    WOOD = "wood", _("Wood")
    METAL = "metal", _("Metal")
    SETT = "sett", _("Sett")
    CONCRETE_LANES = "concrete:lanes", _("Concrete lanes")
    COBBLESTONE = "cobblestone", _("Cobblestone")
    UNPAVED = "unpaved", _("Unpaved")
    COMPACTED = "compacted", _("Compacted")
    FINE_GRAVEL = "fine_gravel", _("Fine gravel")
    GRASS_PAVER = "grass_paver", _("Grass paver")
    GRAVEL = "gravel", _("Gravel")
    GROUND = "ground", _("Ground")
    DIRT = "dirt", _("Dirt")
    GRASS = "grass", _("Grass")
    SAND = "sand", _("Sand")
    MUD = "mud", _("Mud")


SURFACE_RANK = {value: rank for rank, value in enumerate(Surface.values)}


class Smoothness(models.TextChoices):
    """OSM ``smoothness=*``, best first."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    INTERMEDIATE = "intermediate", _("Intermediate")
    BAD = "bad", _("Bad")
    VERY_BAD = "very_bad", _("Very bad")
    HORRIBLE = "horrible", _("Horrible")
    VERY_HORRIBLE = "very_horrible", _("Very horrible")
    IMPASSABLE = "impassable", _("Impassable")


SMOOTHNESS_RANK = {value: rank for rank, value in enumerate(Smoothness.values)}


class Wheelchair(models.TextChoices):
    """OSM ``wheelchair=*`` as observed; never the source of truth for a rating."""

    YES = "yes", _("Yes")
    LIMITED = "limited", _("Limited")
    NO = "no", _("No")


class Crossing(models.TextChoices):
    """OSM ``crossing=*``."""

    TRAFFIC_SIGNALS = "traffic_signals", _("With traffic signals")
    MARKED = "marked", _("Marked (zebra)")
    UNMARKED = "unmarked", _("Unmarked")
    UNCONTROLLED = "uncontrolled", _("Uncontrolled")
    NO = "no", _("Crossing not allowed")


class RampWheelchair(models.TextChoices):
    """OSM ``ramp:wheelchair=*`` on steps."""

    YES = "yes", _("Ramp alongside")
    SEPARATE = "separate", _("Separate ramp nearby")
    NO = "no", _("No ramp")


class PlaceCategory(models.TextChoices):
    TOURIST_ATTRACTION = "tourist_attraction", _("Tourist attraction")
    RESTAURANT = "restaurant", _("Restaurant")
    CAFE = "cafe", _("Cafe")
    SHOP = "shop", _("Shop")
    LODGING = "lodging", _("Lodging")
    PUBLIC_BUILDING = "public_building", _("Public building")
    STATION = "station", _("Station or stop")
    TOILET = "toilet", _("Public toilet")
    HOSPITAL = "hospital", _("Hospital or clinic")
    PARKING = "parking", _("Parking")
    PARK = "park", _("Park")
    CULTURE = "culture", _("Culture venue")
    WHEELCHAIR_CHARGER = "wheelchair_charger", _("Wheelchair charger")
    OTHER = "other", _("Other")


class OsmType(models.TextChoices):
    NODE = "node", "node"
    WAY = "way", "way"
    RELATION = "relation", "relation"


class PermitType(models.TextChoices):
    """Who may use a disabled-only bay (장애인자동차표지)."""

    DISABLED_PERMIT = "disabled_permit", _("Disabled parking permit (주차가능 표지)")
    RESIDENT_ONLY = "resident_only", _("Registered residents only")
    OTHER = "other", _("Other")
