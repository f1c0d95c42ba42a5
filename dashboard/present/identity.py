"""How each subject, measure and speaker side looks and is named, declared once for every chart and export."""

from __future__ import annotations

MEASURE_STYLE = {  # marker suffix and description; output, capacity and targets never share a mark
    "output": ("", "filled: output"),
    "capacity": ("-open", "hollow: capacity"),
    "target": ("-open-dot", "hollow with dot: target"),
    "transfer": ("", "filled: transfer"),
}

SIDE_NAMES = {
    "nato": "NATO officials",
    "russia": "Russian officials",
    "ukraine": "Ukrainian officials",
    "eu": "EU officials",
    "government": "Other governments",
    "industry": "Industry",
    "independent": "Independent analysts",
    "media": "Media characterisation",
}

# Display names of filter values, by filter name (values not listed show as they are stored).
VALUE_NAMES = {"side": SIDE_NAMES}


def value_name(filter_name: str, value: str) -> str:
    return VALUE_NAMES.get(filter_name, {}).get(value, value)
