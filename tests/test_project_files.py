"""README, Makefile, pyproject.toml, environment.yml and .ci/run tell the same story; generated docs are fresh."""

from __future__ import annotations

import re
import tomllib

from analysis.normalise.dictionary import dictionary_path, render
from tests.conftest import REPO_ROOT


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[ ]", r.strip(), maxsplit=1)[0].lower() for r in requirements}


def test_environment_yml_mirrors_pyproject_dependencies():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = _names(pyproject["dependencies"]) | _names(pyproject["optional-dependencies"]["test"])
    env = (REPO_ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    listed = {m.group(1).lower() for m in re.finditer(r"^\s+- ([A-Za-z0-9_.\-]+)(?:[<>=]|$)", env, re.M)}
    assert wanted - {"python"} <= listed, f"missing from environment.yml: {wanted - listed}"
    assert listed - {"python", "pip"} <= wanted, f"not in pyproject.toml: {listed - wanted - {'python', 'pip'}}"


def test_required_packages_are_declared():
    deps = _names(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    assert {"pandas", "matplotlib", "seaborn", "jupyterlab", "requests"} <= deps


def test_ci_runs_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"```bash\n(.*?)```", readme, re.S)[0]
    lines = [ln for ln in commands.splitlines() if ln and not ln.startswith("#")]
    assert lines == ["make all FROM=path/to/your-registry-export.csv", "make test"]
    assert re.search(r"^make test$", ci, re.M)
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert re.search(r"^test: ", makefile, re.M) and re.search(r"^all: ", makefile, re.M)


def test_data_dictionary_is_up_to_date():
    assert dictionary_path(REPO_ROOT).read_text() == render(), "run `make dictionary` and commit the result"
