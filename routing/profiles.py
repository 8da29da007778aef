"""Mobility profiles as data: typed parameters with units, ranges and per-preset defaults.

A profile describes a person's abilities and preferences, never a place. Hard limits
(``max_*``, ``min_width_m``, steps) make an edge impassable; soft preferences only cost time.
``unknown_policy`` says, per attribute, whether missing data passes (``permissive``), costs
extra (``penalize``) or blocks (``strict``): unknown is never silently treated as passable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from functools import cached_property
from typing import Any, Literal

from mapping.models.vocab import Smoothness, Surface
from modugil.errors import InvalidInput
from routing.errors import UnknownProfile

UnknownPolicy = Literal["permissive", "penalize", "strict"]
UNKNOWN_POLICIES = ("permissive", "penalize", "strict")
UNKNOWN_ATTRIBUTES = ("incline", "kerb", "width", "surface", "smoothness", "steps")


@dataclass(frozen=True)
class ParamSpec:
    unit: str
    minimum: float
    maximum: float
    help_en: str
    help_ko: str


# Numeric parameter ranges, shared by validation, the OpenAPI schema and the planner's sliders.
NUMERIC_PARAMS: dict[str, ParamSpec] = {
    "max_uphill_pct": ParamSpec(
        "%", 0, 25, "Steepest uphill you can climb", "오를 수 있는 최대 오르막"
    ),
    "max_downhill_pct": ParamSpec(
        "%", 0, 30, "Steepest downhill you can descend", "내려갈 수 있는 최대 내리막"
    ),
    "max_kerb_height_cm": ParamSpec(
        "cm", 0, 30, "Highest kerb or step you can pass", "넘을 수 있는 최대 턱 높이"
    ),
    "min_width_m": ParamSpec(
        "m", 0, 3, "Narrowest passage you fit through", "지나갈 수 있는 최소 폭"
    ),
    "max_steps": ParamSpec(
        "steps",
        0,
        200,
        "Most steps in one flight (0 = avoid steps)",
        "계단 허용 단수 (0 = 계단 회피)",
    ),
    "street_avoidance": ParamSpec(
        "factor", 0, 1, "Avoid roads without sidewalks", "보도 없는 차도 회피 정도"
    ),
    "min_confidence": ParamSpec(
        "0..1", 0, 1, "Ignore crowd data below this confidence", "이 신뢰도 미만 제보 무시"
    ),
    "speed_mps": ParamSpec("m/s", 0.2, 4, "Speed on flat ground", "평지 이동 속도"),
    "unknown_penalty_s": ParamSpec(
        "s", 0, 600, "Extra cost per edge with unknown data (penalize)", "정보 없는 구간 가산 시간"
    ),
}


@dataclass(frozen=True)
class Profile:
    """One person's routing parameters. Construct through :func:`build_profile` to validate."""

    key: str
    max_uphill_pct: float = 8.0
    max_downhill_pct: float = 10.0
    max_kerb_height_cm: float = 3.0
    min_width_m: float = 0.9
    worst_surface: str = Surface.COMPACTED.value
    worst_smoothness: str = Smoothness.INTERMEDIATE.value
    max_steps: int = 0
    allow_elevators: bool = True
    allow_escalators: bool = False
    avoid_wheelchair_no: bool = True
    unknown_policy: dict[str, UnknownPolicy] = field(
        default_factory=lambda: {
            "incline": "permissive",
            "kerb": "penalize",
            "width": "permissive",
            "surface": "permissive",
            "smoothness": "permissive",
            "steps": "strict",
        }
    )
    unknown_penalty_s: float = 60.0
    street_avoidance: float = 0.5
    min_confidence: float = 0.3
    speed_mps: float = 0.8

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @cached_property
    def cost_key(self) -> tuple[Any, ...]:
        """A hashable identity of everything that changes costs (computed once per profile)."""
        values = self.as_dict()
        values.pop("key")
        policy = tuple(sorted(values.pop("unknown_policy").items()))
        return (*sorted(values.items()), policy)


PRESETS: dict[str, Profile] = {
    "manual_wheelchair": Profile(key="manual_wheelchair"),
    "powered_wheelchair": Profile(
        key="powered_wheelchair",
        max_uphill_pct=12.0,
        max_downhill_pct=12.0,
        max_kerb_height_cm=6.0,
        worst_smoothness=Smoothness.BAD.value,
        speed_mps=1.4,
    ),
    "mobility_scooter": Profile(
        key="mobility_scooter",
        max_uphill_pct=10.0,
        max_downhill_pct=10.0,
        max_kerb_height_cm=6.0,
        min_width_m=1.0,
        speed_mps=1.6,
    ),
    "walker_cane": Profile(
        key="walker_cane",
        max_uphill_pct=14.0,
        max_downhill_pct=14.0,
        max_kerb_height_cm=15.0,
        min_width_m=0.6,
        worst_surface=Surface.GRAVEL.value,
        worst_smoothness=Smoothness.BAD.value,
        max_steps=10,
        allow_escalators=True,
        avoid_wheelchair_no=False,
        unknown_policy=dict.fromkeys(UNKNOWN_ATTRIBUTES, "permissive"),  # type: ignore[misc]
        speed_mps=0.9,
    ),
    "stroller": Profile(
        key="stroller",
        max_uphill_pct=12.0,
        max_downhill_pct=12.0,
        max_kerb_height_cm=8.0,
        min_width_m=0.7,
        worst_surface=Surface.GRAVEL.value,
        max_steps=3,
        avoid_wheelchair_no=False,
        unknown_policy=dict.fromkeys(UNKNOWN_ATTRIBUTES, "permissive"),  # type: ignore[misc]
        speed_mps=1.1,
    ),
}
PRESET_LABELS = {
    "manual_wheelchair": ("수동휠체어", "Manual wheelchair"),
    "powered_wheelchair": ("전동휠체어", "Powered wheelchair"),
    "mobility_scooter": ("전동스쿠터", "Mobility scooter"),
    "walker_cane": ("보행보조기·지팡이", "Walker or cane"),
    "stroller": ("유아차", "Stroller"),
    "custom": ("직접 설정", "Custom"),
}

_FIELD_NAMES = {f.name for f in fields(Profile)} - {"key"}


def _check_number(name: str, value: Any) -> float:
    spec = NUMERIC_PARAMS[name]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInput(f"{name} must be a number.", fields={name: ["Must be a number."]})
    try:
        number = float(value)
    except ValueError as e:
        raise InvalidInput(f"{name} must be a number.", fields={name: ["Must be a number."]}) from e
    if not spec.minimum <= number <= spec.maximum:
        msg = f"Must be between {spec.minimum:g} and {spec.maximum:g} {spec.unit}."
        raise InvalidInput(f"{name}: {msg}", fields={name: [msg]})
    return number


def _check_choice(name: str, value: Any, choices: list[str]) -> str:
    if value not in choices:
        msg = f"Must be one of: {', '.join(choices)}."
        raise InvalidInput(f"{name}: {msg}", fields={name: [msg]})
    return str(value)


def _check_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "1", 1):
        return True
    if value in ("false", "0", 0):
        return False
    raise InvalidInput(f"{name} must be true or false.", fields={name: ["Must be true or false."]})


def _check_unknown_policy(value: Any, base: dict[str, UnknownPolicy]) -> dict[str, UnknownPolicy]:
    if isinstance(value, str) and ":" in value:  # query-string form: kerb:strict,width:penalize
        value = {
            k.strip(): p.strip() for k, _, p in (part.partition(":") for part in value.split(","))
        }
    elif isinstance(value, str):  # one policy for every attribute
        value = dict.fromkeys(UNKNOWN_ATTRIBUTES, value)
    if not isinstance(value, dict):
        msg = "Give one policy or {attribute: policy}."
        raise InvalidInput(msg, fields={"unknown_policy": [msg]})
    merged = dict(base)
    for attribute, policy in value.items():
        _check_choice("unknown_policy", attribute, list(UNKNOWN_ATTRIBUTES))
        merged[attribute] = _check_choice("unknown_policy", policy, list(UNKNOWN_POLICIES))  # type: ignore[assignment]
    return merged


def build_profile(
    preset: str = "manual_wheelchair", overrides: dict[str, Any] | None = None
) -> Profile:
    """A validated profile: a preset plus overrides. Unknown keys and out-of-range values raise."""
    base_key = "manual_wheelchair" if preset == "custom" else preset
    if base_key not in PRESETS:
        choices = [*PRESETS, "custom"]
        msg = f"Unknown profile {preset!r}; choose one of {', '.join(choices)}."
        raise UnknownProfile(msg, fields={"profile": [msg]})
    base = PRESETS[base_key]
    changes: dict[str, Any] = {}
    for name, value in (overrides or {}).items():
        if name not in _FIELD_NAMES:
            msg = f"Unknown profile parameter {name!r}."
            raise InvalidInput(msg, fields={name: ["Unknown parameter."]})
        if name in NUMERIC_PARAMS:
            number = _check_number(name, value)
            changes[name] = int(number) if name == "max_steps" else number
        elif name == "worst_surface":
            changes[name] = _check_choice(name, value, Surface.values)
        elif name == "worst_smoothness":
            changes[name] = _check_choice(name, value, Smoothness.values)
        elif name in ("allow_elevators", "allow_escalators", "avoid_wheelchair_no"):
            changes[name] = _check_bool(name, value)
        elif name == "unknown_policy":
            changes[name] = _check_unknown_policy(value, base.unknown_policy)
    key = preset if not changes else "custom"
    return replace(base, key=key, **changes)


def profile_key(profile: Profile) -> tuple[Any, ...]:
    """A hashable identity of everything that changes costs (the engine caches by it)."""
    return profile.cost_key


# The plain walking route that a profile's route is compared with ("what the route avoided"):
# anyone on foot, every step and kerb allowed, nothing unknown penalised.
WALKING = Profile(
    key="walking",
    max_uphill_pct=NUMERIC_PARAMS["max_uphill_pct"].maximum,
    max_downhill_pct=NUMERIC_PARAMS["max_downhill_pct"].maximum,
    max_kerb_height_cm=NUMERIC_PARAMS["max_kerb_height_cm"].maximum,
    min_width_m=0.0,
    worst_surface=Surface.values[-1],
    worst_smoothness=Smoothness.values[-1],
    max_steps=int(NUMERIC_PARAMS["max_steps"].maximum),
    allow_escalators=True,
    avoid_wheelchair_no=False,
    unknown_policy=dict.fromkeys(UNKNOWN_ATTRIBUTES, "permissive"),  # type: ignore[arg-type]
    unknown_penalty_s=0.0,
    street_avoidance=0.0,
    min_confidence=0.0,
    speed_mps=1.3,
)


def describe_parameters() -> dict[str, Any]:
    """Parameter ranges, units, help texts and preset values: the planner's sliders and the API."""
    return {
        "numeric": {
            name: {
                "unit": spec.unit,
                "minimum": spec.minimum,
                "maximum": spec.maximum,
                "help_en": spec.help_en,
                "help_ko": spec.help_ko,
            }
            for name, spec in NUMERIC_PARAMS.items()
        },
        "surface": list(Surface.values),
        "smoothness": list(Smoothness.values),
        "unknown_attributes": list(UNKNOWN_ATTRIBUTES),
        "unknown_policies": list(UNKNOWN_POLICIES),
        "presets": {
            key: {"label_ko": PRESET_LABELS[key][0], "label_en": PRESET_LABELS[key][1]}
            | PRESETS[key].as_dict()
            for key in PRESETS
        },
    }
