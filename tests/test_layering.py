"""Start-up stays fast only if home needs neither the store nor the rules: test the imports."""

import subprocess
import sys
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
