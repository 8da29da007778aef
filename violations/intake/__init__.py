"""How violation records arrive: citizens (form, API, Open311), IoT sensors, enforcement files."""
