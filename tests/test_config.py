"""Project files: parsing, path resolution, and clear errors."""

import pytest

from cxtext.config import load_config
from cxtext.errors import InputError


def test_toml_project(tmp_path):
    path = tmp_path / "cx.toml"
    path.write_text('''
db = "out/cx.db"
[[inputs]]
path = "data/nps.csv"
source = "survey"
[inputs.mapping]
text = "Comment"
scores = { nps = "LTR" }
segments = ["Plan"]
[analysis.themes]
codebook = "codebook.yaml"
''')
    config = load_config(path)
    assert config.db == tmp_path / "out" / "cx.db"
    spec = config.inputs[0]
    assert spec.path == tmp_path / "data" / "nps.csv" and spec.source == "survey"
    assert spec.context.mapping.text == ["Comment"] and spec.context.mapping.scores == {"nps": "LTR"}
    assert config.resolve(config.plugin_settings("themes")["codebook"]) == tmp_path / "codebook.yaml"


def test_yaml_project(tmp_path):
    path = tmp_path / "cx.yaml"
    path.write_text("inputs:\n  - path: a.csv\n    mapping:\n      text: [A, B]\n")
    assert load_config(path).inputs[0].context.mapping.text == ["A", "B"]


@pytest.mark.parametrize("content, message", [
    ("nonsense = 1", "unknown setting"),
    ("[[inputs]]\nsource = 'survey'", "needs a path"),
    ("[[inputs]]\npath = 'a.csv'\n[inputs.mapping]\ntxt = 'A'", "unknown mapping key"),
    ("db = ", "does not parse"),
])
def test_bad_project_files(tmp_path, content, message):
    path = tmp_path / "cx.toml"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as error:
        load_config(path)
    assert str(path) in str(error.value)
