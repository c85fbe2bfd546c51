"""README, Makefile, pyproject.toml, environment.yml, the lock, .ci/run and docs/architecture.md tell the same story:
every imported package is declared, the stages import in one direction, and generated docs are fresh."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from analysis.normalise.dictionary import dictionary_path, render
from analysis.stages import PACKAGE_DIR, STAGES
from tests.conftest import REPO_ROOT

# Import names whose distribution is spelled differently (the installed metadata is asked for any other name).
IMPORT_NAMES = {
    "bs4": "beautifulsoup4",
    "IPython": "ipython",
    "PIL": "pillow",
    "markdown_it": "markdown-it-py",
    "python_calamine": "python-calamine",
    "xdist": "pytest-xdist",
    "yaml": "pyyaml",
}
# PyPI name -> conda-forge name, where they differ.
CONDA_NAMES: dict[str, str] = {}
ENTRY_POINTS = {"cli.py", "__main__.py"}  # the command line may import every stage


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(requirement: str) -> tuple[str, str]:
    """``"pandas>=2.1"`` -> ``("pandas", ">=2.1")``; extras, environment markers and spaces dropped."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)", requirement)
    assert match, requirement
    return _canonical(match.group(1)), match.group(2).replace(" ", "")


def _names(requirements: list[str]) -> set[str]:
    return {_split(r)[0] for r in requirements}


def _pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]


def _declared(*, test: bool = True) -> dict[str, str]:
    """Declared distribution -> its version specifier: ``[project] dependencies`` (+ the ``test`` extra)."""
    project = _pyproject()
    requirements = project["dependencies"] + (project["optional-dependencies"]["test"] if test else [])
    return dict(_split(r) for r in requirements)


def _third_party_imports(files: list[Path], local: set[str]) -> dict[str, list[str]]:
    """Top-level third-party module -> ``file:line`` of every import of it (imports inside functions too)."""
    found: dict[str, list[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, []).append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    return found


def _undeclared(imports: dict[str, list[str]], declared: set[str]) -> list[str]:
    installed = packages_distributions()
    problems = []
    for module, where in sorted(imports.items()):
        candidates = {IMPORT_NAMES.get(module, module), *installed.get(module, [])}
        if not {_canonical(c) for c in candidates} & declared:
            problems.append(f"{module} (distribution {' or '.join(sorted(candidates))}) imported at "
                            f"{', '.join(where[:3])}")
    return problems


def test_every_package_imported_by_src_is_a_declared_dependency():
    files = sorted((REPO_ROOT / "src").rglob("*.py"))
    problems = _undeclared(_third_party_imports(files, {"analysis"}), set(_declared(test=False)))
    assert problems == [], "add to [project] dependencies (and environment.yml, then `make lock`): " + "; ".join(
        problems)


def test_every_package_imported_by_tests_notebooks_and_benchmarks_is_declared():
    files = sorted(p for folder in ("tests", "notebooks", "benchmarks") for p in (REPO_ROOT / folder).rglob("*.py"))
    local = {"analysis", "tests", "conftest", *(p.stem for p in files)}
    problems = _undeclared(_third_party_imports(files, local), set(_declared()))
    assert problems == [], "add to pyproject.toml (the test extra if only tests use it): " + "; ".join(problems)


def _environment_yml() -> dict[str, str]:
    """environment.yml's conda packages -> version specifier (python, pip and the pip: block left out)."""
    env = (REPO_ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    listed = {}
    for match in re.finditer(r"^  - ([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*([<>=!~][^#\n]*)?$", env, re.M):
        listed[_canonical(match.group(1))] = (match.group(2) or "").strip().replace(" ", "")
    listed.pop("pip", None)
    assert listed.pop("python", None) == "=3.11", "environment.yml pins python=3.11, as the lock does"
    return listed


def test_environment_yml_mirrors_pyproject_dependencies():
    wanted = {CONDA_NAMES.get(name, name): spec for name, spec in _declared().items()}
    listed = _environment_yml()
    assert sorted(set(wanted) - set(listed)) == [], "missing from environment.yml"
    assert sorted(set(listed) - set(wanted)) == [], "in environment.yml but not in pyproject.toml"
    other = {name: f"{spec} in environment.yml, {wanted[name]} in pyproject.toml" for name, spec in listed.items()
             if wanted[name] != spec}
    assert other == {}, "environment.yml has other bounds than pyproject.toml"


LOCK = REPO_ROOT / "requirements-lock.txt"


def _lock() -> tuple[dict[str, str], set[str]]:
    """The lock's pins (name -> version) and the names it says it pinned for the project itself."""
    text = LOCK.read_text()
    pins, direct = {}, set()
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)==(\S+)", block)
        if match:
            name = _canonical(match.group(1))
            pins[name] = match.group(2)
            if "false-confessions (pyproject.toml)" in block:
                direct.add(name)
    return pins, direct


def test_the_lock_pins_every_declared_dependency():
    assert "autogenerated by pip-compile with Python 3.11" in LOCK.read_text(), "lock made for Python 3.11"
    pins, direct = _lock()
    declared = _declared()
    assert sorted(set(declared) - set(pins)) == [], "declared but not pinned: run `make lock`"
    outside = {n: f"{pins[n]} not {spec}" for n, spec in declared.items() if Version(pins[n]) not in SpecifierSet(spec)}
    assert outside == {}, "pinned outside the declared bounds: run `make lock`"
    stale = sorted(direct ^ set(declared))
    assert stale == [], "the lock was made from another dependency list: run `make lock`"
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!]*", v) for v in pins.values()), "every pin is an exact version"


def test_setup_installs_from_the_lock():
    makefile = (REPO_ROOT / "Makefile").read_text()
    recipe = re.search(r"^\$\(STAMP\): (.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile's $(STAMP) rule"
    assert set(recipe.group(1).split()) == {"pyproject.toml", "$(LOCK)"}
    assert re.search(r"^LOCK := requirements-lock\.txt$", makefile, re.M)
    steps = recipe.group(2)
    assert "pip install --quiet -r $(LOCK)" in steps and "pip install --quiet --no-deps -e ." in steps
    assert "[test]" not in steps, "installs exactly the lock, not what pip resolves today"
    lock = re.search(r"^lock:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert lock and "pip-compile" in lock.group(1) and "--extra test" in lock.group(1)


def test_required_packages_are_declared():
    deps = _names(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"])
    assert {"pandas", "matplotlib", "seaborn", "jupyterlab", "jupytext", "requests"} <= deps


def test_ci_runs_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"```bash\n(.*?)```", readme, re.S)[0]
    lines = [ln for ln in commands.splitlines() if ln and not ln.startswith("#")]
    assert lines == ["make all", "make test"]  # on a fresh clone, make all builds from the synthetic demo export
    assert re.search(r"^make test$", ci, re.M)
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert re.search(r"^test: ", makefile, re.M) and re.search(r"^all: ", makefile, re.M)


def test_data_dictionary_is_up_to_date():
    assert dictionary_path(REPO_ROOT).read_text() == render(), "run `make dictionary` and commit the result"


# --- stages import in one direction ----------------------------------------------------------------------


def _module_parts(path: Path) -> tuple[list[str], list[str]]:
    """(``analysis.x.y`` as parts, the parts of the package that relative imports start from)."""
    parts = ["analysis", *path.relative_to(PACKAGE_DIR).with_suffix("").parts]
    if parts[-1] == "__init__":
        return parts[:-1], parts[:-1]
    return parts, parts[:-1]


def _analysis_imports(path: Path) -> list[tuple[int, str]]:
    """``(line, "analysis.x.y")`` for every import of the package by ``path``: absolute, relative, inside functions,
    ``from analysis import x`` and ``importlib.import_module("analysis.x")``."""
    _, package = _module_parts(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])])
            if base in {"analysis", ".".join(package)} or not node.module:
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, base))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) ==
              "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return [(line, module) for line, module in found if module.split(".")[0] == "analysis"]


def _place(module_parts: list[str]) -> str:
    """The stage a module of the package belongs to, ``"entry"`` for the command line, else ``"shared"``."""
    if len(module_parts) > 1 and module_parts[1] in STAGES:
        return module_parts[1]
    if len(module_parts) > 1 and f"{module_parts[1]}.py" in ENTRY_POINTS:
        return "entry"
    return "shared"


def import_violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        importer = _place(_module_parts(path)[0])
        if importer == "entry":
            continue
        for line, module in _analysis_imports(path):
            target = _place(module.split("."))
            if target == "entry":
                ok = False
            elif importer == "shared":
                ok = target == "shared"
            else:
                ok = target == "shared" or STAGES.index(target) <= STAGES.index(importer)
            if not ok:
                where = f"src/analysis/{path.relative_to(PACKAGE_DIR).as_posix()}:{line}"
                problems.append(f"{where} ({importer}) imports {module} ({target})")
    return problems


def test_each_stage_imports_only_from_itself_the_stages_above_and_the_shared_modules():
    assert all((PACKAGE_DIR / stage / "__init__.py").is_file() for stage in STAGES)
    problems = import_violations()
    assert problems == [], f"stages are {' -> '.join(STAGES)}; shared modules import no stage:\n" + "\n".join(problems)


# --- docs/architecture.md names the tree ------------------------------------------------------------------

ARCHITECTURE = REPO_ROOT / "docs" / "architecture.md"


def _tree() -> tuple[set[str], set[str]]:
    """(what the doc must name: every folder and every module but ``__init__.py``; everything that exists)."""
    required, existing = set(), set()
    for path in PACKAGE_DIR.rglob("*"):
        rel = path.relative_to(PACKAGE_DIR)
        if "__pycache__" in rel.parts or path.name.startswith("."):
            continue
        name = f"analysis/{rel.as_posix()}" + ("/" if path.is_dir() else "")
        existing.add(name)
        if path.is_dir() or (path.suffix == ".py" and path.name != "__init__.py"):
            required.add(name)
    return required, existing


def architecture_doc_drift() -> tuple[list[str], list[str]]:
    """(folders and modules the doc does not name, names in the doc that are not in the tree)."""
    named = set(re.findall(r"`(analysis/[^`\s]*)`", ARCHITECTURE.read_text()))
    required, existing = _tree()
    return sorted(required - named), sorted(named - existing)


def test_architecture_doc_names_every_folder_and_module_and_nothing_else():
    unnamed, gone = architecture_doc_drift()
    assert unnamed == [], f"name these in docs/architecture.md (one line each, `analysis/...`): {unnamed}"
    assert gone == [], f"docs/architecture.md names these, but they are not in src/analysis: {gone}"


def test_architecture_doc_and_readme_list_the_stages_in_order():
    doc = ARCHITECTURE.read_text()
    assert re.findall(r"^### \d+\. `analysis/(\w+)/`$", doc, re.M) == list(STAGES)
    assert re.findall(r"^\d+\. `(\w+)`", doc, re.M) == list(STAGES)
    readme = (REPO_ROOT / "README.md").read_text()
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    assert "docs/architecture.md" in layout
    listed = [stage for stage in re.findall(r"── (\w+)/", layout) if stage in STAGES]
    assert listed == list(STAGES), "README's Layout lists every stage folder, in order"


def test_readme_states_the_demo_size_the_code_uses():
    """README's "(`confessions demo`: N invented records ...)" is the generator's default, not a typed-in number."""
    from analysis.ingest.demo import DEFAULT_ROWS

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`confessions demo`: {DEFAULT_ROWS:,} invented records" in readme


def test_readme_states_the_inline_limit_the_report_uses():
    """README's "up to N MB of images" is the report's inline limit, and "alt text (at most N characters" the
    charts' alt-text limit."""
    from analysis.charts.registry import ALT_MAX
    from analysis.narrate.report import MAX_INLINE_BYTES

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert MAX_INLINE_BYTES % 2**20 == 0
    assert f"up to {MAX_INLINE_BYTES // 2**20} MB of images" in readme
    assert f"alt text (at most {ALT_MAX} characters" in readme


def test_readme_counts_the_steps_the_build_runs(project, tmp_path):
    """README's "the build's N steps (… M charts, the state fact sheets in K shards, J notebooks …)" are the
    plan's: ingest, then every step of ``pipeline.plan`` for a project with the repository's notebooks."""
    import shutil

    from analysis import pipeline
    from analysis.charts import CHARTS
    from analysis.ingest import ingest
    from analysis.ingest.demo import write_demo
    from analysis.narrate.states import SHARDS
    from analysis.settings import paths

    shutil.copytree(REPO_ROOT / "notebooks", project / "notebooks")
    ingest("nre", str(write_demo(tmp_path / "demo.csv", 200, 1)))  # stored as the demo snapshot the plan uses
    steps = [s.name for s in pipeline.plan(paths())]
    notebooks = sum(name.startswith("notebook:") for name in steps)
    readme = " ".join((REPO_ROOT / "README.md").read_text(encoding="utf-8").split())
    assert notebooks == len(list((REPO_ROOT / "notebooks").glob("[0-9][0-9]-*.py")))
    assert f"the build's {1 + len(steps)} steps" in readme
    assert f"{len(CHARTS)} charts, the state fact sheets in {SHARDS} shards, {notebooks} notebooks" in readme
