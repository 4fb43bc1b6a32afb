"""The JSON Schemas in hamfoot/data/schema/ and the field tables of hamfoot/data/README.md are
generated from the pydantic models; this fails when either is stale (run the tool to refresh)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "gen_content_docs", ROOT / "tools/gen_content_docs.py"
)
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def test_generated_schemas_and_readme_tables_are_current(capsys):
    assert gen.main(["--check"]) == 0, capsys.readouterr().err


def test_check_notices_a_stale_table(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    text = gen.README.read_text(encoding="utf-8")
    readme.write_text(text.replace("| `tolerance` |", "| `tolerence` |"), encoding="utf-8")
    monkeypatch.setattr(gen, "README", readme)
    assert gen.main(["--check"]) == 1


def test_every_yaml_file_has_a_schema_that_accepts_the_real_file():
    jsonschema = pytest.importorskip("jsonschema")
    for name in gen.YAML_FILES:
        schema = json.loads((gen.SCHEMAS / f"{Path(name).stem}.schema.json").read_text())
        doc = yaml.safe_load((gen.DATA / name).read_text(encoding="utf-8"))
        jsonschema.validate(doc, schema)
    quiz = json.loads((gen.SCHEMAS / "quiz.schema.json").read_text())
    bad = yaml.safe_load((gen.DATA / "quiz.yaml").read_text(encoding="utf-8"))
    bad[0]["tolerance"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, quiz)
