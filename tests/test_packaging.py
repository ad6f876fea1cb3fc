"""The repository itself: setup files agree, notebooks are committed clean."""

import json
import re
import subprocess
import tomllib

import yaml
from conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower()


def test_environment_yml_and_pyproject_ask_for_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
    assert sorted(d.replace(" ", "") for d in conda) == sorted(d.replace(" ", "") for d in project["dependencies"])
    assert "python=3.11" in env["dependencies"] and project["requires-python"] == ">=3.11"
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.replace('"', "").startswith("-e .[hub]") for line in pip)  # course hub's extra too


def test_committed_notebooks_have_no_outputs_or_execution_counts():
    tracked = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    notebooks = tracked or [str(p.relative_to(ROOT)) for p in (ROOT / "notebooks").rglob("*.ipynb")]
    assert notebooks
    for path in notebooks:
        nb = json.loads((ROOT / path).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path
