"""The files that deploy the course past one machine, checked as far as this machine can: the Zero to
JupyterHub values against the chart's own schema (as Helm checks them), and what they point at exists."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import yaml
from conftest import ROOT

Z2JH = ROOT / "deploy" / "z2jh"


def _helm_merge(defaults, values):
    """Helm's merge of a user's values over a chart's: maps merge, anything else replaces, null removes."""
    if not isinstance(defaults, dict) or not isinstance(values, dict):
        return values
    merged = dict(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _helm_merge(defaults.get(key), value)
    return merged


def _values():
    return yaml.safe_load((Z2JH / "values.yaml").read_text(encoding="utf-8"))


def test_the_zero_to_jupyterhub_values_pass_the_charts_own_schema():
    schema = json.loads((Z2JH / "chart" / "values.schema.json").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((Z2JH / "chart" / "values.yaml").read_text(encoding="utf-8"))
    merged = _helm_merge(defaults, _values())
    jsonschema.validate(merged, schema)
    broken = _helm_merge(merged, {"singleuser": {"memory": {"limit": ["1G"]}}, "cull": {"timeout": "soon"}})
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(broken))
    assert errors, "the schema check must catch a wrong value"


def test_the_cluster_runs_the_learners_jupyterlab_with_limits_culling_and_ngshare():
    values = _values()
    single = values["singleuser"]
    assert single["cmd"] == ["python", "-m", "course_lib.hub.learner"] and single["defaultUrl"] == "/course/home"
    assert single["memory"]["limit"] and single["cpu"]["limit"] and values["cull"]["enabled"]
    assert values["hub"]["services"]["ngshare"]["url"].startswith("http://ngshare.")
    assert values["hub"]["config"]["FirstUseAuthenticator"]["create_users"] is False
    compile(values["hub"]["extraConfig"]["course.py"], "course.py", "exec")  # the hub would run it
    assert "configureExchange" in (Z2JH / "nbgrader_config.py").read_text()
    dockerfile = (Z2JH / "Dockerfile").read_text()
    chart = yaml.safe_load((Z2JH / "chart" / "values.yaml").read_text())
    assert "jupyterhub==5.5.0" in dockerfile  # the chart's hub version (its appVersion), in the pods too
    assert chart["hub"]["image"]["name"].endswith("k8s-hub")
    for path in ("deploy/z2jh/instructor-start.sh", "deploy/z2jh/nbgrader_config.py", "grading/nbgrader_config.py"):
        assert (ROOT / path).is_file(), path


def test_the_littlest_jupyterhub_settings_compile_and_give_learners_the_learners_jupyterlab():
    source = (ROOT / "deploy" / "tljh" / "course.py").read_text(encoding="utf-8")
    compile(source, "course.py", "exec")
    assert '"course_lib.hub.learner"' in source and 'default_url = "/course/home"' in source


def test_the_hub_extra_pins_what_the_tests_run():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    hub, test = project["optional-dependencies"]["hub"], project["optional-dependencies"]["test"]
    assert "jupyterhub==6.1.1" in hub and set(hub) <= set(test)
    lock = json.loads((ROOT / "course_lib" / "hub" / "proxy" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.2.0"
