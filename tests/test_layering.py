"""Start-up stays fast only if home needs neither the store nor the rules: test the imports."""

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path


def test_starting_the_app_imports_no_store_and_no_rules() -> None:
    code = (
        "import sys; from consult.cli import load_settings; import consult.app; "
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'alembic', 'pydantic', 'consult.store', 'consult.scoring')"
        " if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_layers_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--no-cache"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _layers() -> set[str]:
    """The packages named in the layers contract, each sibling of a layer on its own."""
    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return {
        name.strip(" ()")
        for layer in contract["layers"]
        for name in layer.replace(":", "|").split("|")
        if name.strip(" ()")
    }


def test_every_module_of_the_package_is_in_a_layer() -> None:
    """A module added beside the packages, or a package left out of the contract, is checked by
    no contract at all: its imports could point anywhere."""
    import consult

    layers = _layers()
    modules = [m.name for m in pkgutil.walk_packages(consult.__path__, "consult.")]
    # `python -m consult` is the one loose module: it only calls the command line.
    outside = [m for m in modules if m != "consult.__main__" and ".".join(m.split(".")[:2]) not in layers]
    assert outside == [], f"in no layer of the contract: {outside}"
    assert len(modules) > 50  # the walk found the installed package, not an empty one


def test_the_check_finds_a_module_outside_every_layer() -> None:
    layers = _layers()
    assert "consult.core" in layers and "consult.exchange" in layers and "consult.data" in layers
    assert "consult.loose" not in layers
