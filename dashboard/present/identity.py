"""How each subject, measure and speaker side looks and is named, declared once for every chart and export.

A subject keeps its colour and symbol whatever the filter, so two exported figures can be put side by
side. Colours are Okabe–Ito (distinguishable with the common colour-vision deficiencies) plus greys and a
wine for the rarer subjects; every subject also has its own symbol, so colour is never the only signal.
Measures differ by mark and line: output filled and solid, capacity hollow and dashed, targets hollow with
a dot and dotted, transfers a cross; they are never added together or joined to one another.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Look:
    color: str
    symbol: str


# Every subject of the schema's enum has one (a test checks); yellow is left out: too faint on white.
SUBJECT_LOOK = {
    "Russia": Look("#D55E00", "circle"),
    "United States": Look("#0072B2", "square"),
    "European Union": Look("#009E73", "diamond"),
    "Europe": Look("#56B4E9", "triangle-up"),
    "United States and Europe": Look("#CC79A7", "pentagon"),
    "NATO": Look("#000000", "star"),
    "North Korea": Look("#E69F00", "hexagon"),
    "Iran": Look("#8C6D31", "triangle-down"),
    "Ukraine": Look("#882255", "hourglass"),
    "Rheinmetall": Look("#666666", "circle"),
    "KNDS": Look("#666666", "square"),
    "BAE Systems": Look("#666666", "diamond"),
    "Nammo": Look("#666666", "triangle-up"),
    "West": Look("#000000", "hexagram"),  # black like NATO, an alliance-wide figure; its own six-pointed star
    "North Korea and Iran": Look("#E69F00", "cross"),  # North Korea's orange: one figure for both suppliers
    "Czech ammunition initiative": Look("#882255", "octagon"),  # Ukraine's wine: deliveries to Ukraine
}
OTHER_LOOK = Look("#999999", "circle")  # a subject added to the schema before it is given a look
# Shown on the Output chart when the reader has not chosen subjects (about eight series; the rest via the filter).
MAIN_SUBJECTS = ("Russia", "United States", "European Union", "Europe", "United States and Europe", "NATO",
                 "North Korea", "Iran")  # fmt: skip


@dataclass(frozen=True)
class MeasureLook:
    symbol_suffix: str  # appended to the subject's symbol: "" filled, "-open" hollow, "-open-dot" hollow with a dot
    dash: str
    description: str


MEASURE_STYLE = {  # output, capacity, targets and transfers never share a mark
    "output": MeasureLook("", "solid", "output: filled"),
    "capacity": MeasureLook("-open", "dash", "capacity: hollow"),
    "target": MeasureLook("-open-dot", "dot", "target: dotted"),
    "transfer": MeasureLook("-open", "dashdot", "transfer: dash-dot"),
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
SIDE_LOOK = {
    "nato": Look("#0072B2", "circle"),
    "russia": Look("#D55E00", "square"),
    "ukraine": Look("#882255", "hourglass"),
    "eu": Look("#009E73", "diamond"),
    "government": Look("#8C6D31", "triangle-up"),
    "industry": Look("#666666", "pentagon"),
    "independent": Look("#CC79A7", "star"),
    "media": Look("#000000", "x"),
}

# Display names of filter values, by filter name (values not listed show as they are stored).
VALUE_NAMES = {"side": SIDE_NAMES}


# A legend entry has half a phone's width: the longest names are shortened there (hover and tables say them in full).
LEGEND_NAMES = {
    "United States and Europe": "US and Europe",
    "Czech ammunition initiative": "Czech initiative",
    "North Korea and Iran": "N. Korea and Iran",
}


def legend_name(subject: str) -> str:
    return LEGEND_NAMES.get(subject, subject)


def subject_look(subject: str) -> Look:
    return SUBJECT_LOOK.get(subject, OTHER_LOOK)


def side_look(side: str) -> Look:
    return SIDE_LOOK.get(side, OTHER_LOOK)


def value_name(filter_name: str, value: str) -> str:
    return VALUE_NAMES.get(filter_name, {}).get(value, value)
