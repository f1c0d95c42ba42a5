"""The data dictionary, generated from the one schema (the Method page shows it; a test keeps README in step)."""

from __future__ import annotations

import pandas as pd

from dashboard.data.schema import Package


def dictionary_table(package: Package) -> pd.DataFrame:
    records = []
    for resource in (package.claims, package.sources):
        for f in resource.fields:
            records.append(
                {
                    "file": resource.path,
                    "column": f.name,
                    "type": f.type,
                    "unit": package.field_units.get(f.name, ""),
                    "required": "yes" if f.required else "",
                    "allowed values": ", ".join(f.enum),
                    "description": f.description,
                }
            )
    return pd.DataFrame.from_records(records)
