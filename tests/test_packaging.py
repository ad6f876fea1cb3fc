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


def _requirements() -> dict[str, str]:
    """Distribution name (normalised) -> requirement, over the dependencies and every extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return {_name(r).replace("_", "-"): r for r in reqs}


def test_every_package_course_lib_imports_is_declared():
    """A package the code imports is ours to declare, not left to another package's dependencies."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    where = packages_distributions()
    imported = set()
    for path in (ROOT / "course_lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "course_lib"}
    declared = _requirements()
    missing = {m: where.get(m) for m in third_party
               if not any(d.lower().replace("_", "-") in declared for d in where.get(m, [m]))}
    assert missing == {}
    assert {"nbformat", "ipython", "traitlets", "tornado", "jupyter-server", "nbconvert"} <= set(declared)


def test_the_version_is_written_once():
    import course_lib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "course_lib.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", course_lib.__version__)


def test_the_kernel_manager_attributes_the_web_view_reads_are_there(tmp_path):
    """course_lib/web/kernels.py counts kernels with jupyter_client's private ``_kernels`` and
    ``_pending_kernels``: pinned in pyproject.toml, and this fails if a release drops them."""
    from course_lib.web.kernels import CourseKernelManager

    manager = CourseKernelManager(root_dir=str(tmp_path))
    assert isinstance(manager._kernels, dict) and isinstance(manager._pending_kernels, dict)
    assert manager.alive() == 0


def test_reading_a_notebook_does_not_build_the_iri_grammar():
    """jsonschema 4.25 made every process that imports nbformat build rfc3987-syntax's grammar
    (about 0.8 s here); pyproject.toml keeps it below that release."""
    import sys

    code = ("import sys, nbformat; nbformat.validator.get_validator(); "
            "print('rfc3987_syntax' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
