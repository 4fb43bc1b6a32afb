"""Read the model's CSV tables from ``hamfoot.data/gait`` once per session.

The numbers live in data files (with their citation in a ``#`` header comment) rather than in code,
so a reviewer can check every coefficient against its sources without reading Python.
Every table is validated by the content engine (``hamfoot.content.gait_rows``) before use.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib.resources import files

import numpy as np

GAIT_DIR = "gait"


@dataclass(frozen=True)
class Table:
    """A small CSV table: columns by name, plus the reference ids named in its header comment."""

    name: str
    columns: dict[str, np.ndarray]
    references: tuple[str, ...]

    def __getitem__(self, column: str) -> np.ndarray:
        try:
            return self.columns[column]
        except KeyError:
            raise KeyError(f"data/{GAIT_DIR}/{self.name}: no column {column!r}") from None

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))


def _parse_value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


@functools.cache
def load(name: str, numeric: tuple[str, ...] = ()) -> Table:
    """Load ``data/gait/<name>`` once per session, after checking it against its row model in
    ``hamfoot.schema.GAIT_TABLES`` (no NaN, no missing column, values in range): a bad table
    raises ``ContentError`` (a ``ValueError``) naming file, line and field, instead of letting
    a NaN reach a lesson as "at least nan mm". Columns in ``numeric`` must hold numbers."""
    path = files("hamfoot.data") / GAIT_DIR / name
    _validate(path, name)
    return parse(path.read_text(encoding="utf-8"), name, numeric)


def _validate(path, name: str) -> None:
    from hamfoot import content, schema  # pydantic loads only when a table is first needed

    cls = schema.GAIT_TABLES.get(name)
    out = schema.Collector()
    if cls is None:
        out.add(f"data/{GAIT_DIR}/{name}", None, None, "no schema for this table")
    else:
        content.gait_rows(path, f"data/{GAIT_DIR}/{name}", cls, out)
    if out.problems:
        raise schema.ContentError(out.problems)


def parse(text: str, name: str, numeric: tuple[str, ...] = ()) -> Table:
    """Parse CSV text. Lines starting with ``#`` are comments; ``# references: a, b`` names sources.

    A bad cell raises ``ValueError`` naming the file, the row and the field.
    """
    where = f"data/{GAIT_DIR}/{name}"
    references: list[str] = []
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            key, _, value = stripped.lstrip("#").strip().partition(":")
            if key.strip().lower() == "references":
                references += [r.strip() for r in value.split(",") if r.strip()]
        elif stripped:
            body.append(line)
    rows = list(csv.reader(io.StringIO("\n".join(body))))
    if not rows:
        raise ValueError(f"{where}: no header row")
    header, data = rows[0], rows[1:]
    for i, row in enumerate(data, start=1):
        if len(row) != len(header):
            raise ValueError(f"{where}, row {i}: expected {len(header)} fields, found {len(row)}")
    columns: dict[str, np.ndarray] = {}
    for j, field in enumerate(header):
        cells = [row[j].strip() for row in data]
        values = [_parse_value(c) for c in cells]
        if field in numeric:
            for i, v in enumerate(values, start=1):
                if isinstance(v, str):
                    raise ValueError(f"{where}, row {i}, field {field!r}: {v!r} is not a number")
            array = np.array(values, dtype=float)
        elif all(isinstance(v, float) for v in values) and cells and all(cells):
            array = np.array(values, dtype=float)
        else:
            array = np.array(cells, dtype=object)
        array.flags.writeable = False
        columns[field] = array
    missing = [c for c in numeric if c not in columns]
    if missing:
        raise ValueError(f"{where}: missing column(s) {', '.join(missing)}")
    return Table(name=name, columns=columns, references=tuple(references))


@functools.cache
def parameter(name: str) -> float:
    """One value from ``model_parameters.csv`` (e.g. the windlass drum radius)."""
    table = load("model_parameters.csv", numeric=("value",))
    names = list(table["name"])
    if name not in names:
        raise KeyError(f"data/{GAIT_DIR}/model_parameters.csv: no parameter {name!r}")
    return float(table["value"][names.index(name)])
