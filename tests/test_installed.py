"""The suite tests what pip installed, and what pip installed holds every file of the package.

A wheel once left out the name list: the tests imported the source tree and never saw it.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path

import pytest

import consult

CHECKOUT = Path(__file__).resolve().parents[1] / "src" / "consult"
INSTALLED = Path(consult.__file__).resolve().parent


def _editable() -> bool:
    text = metadata.distribution("consult").read_text("direct_url.json")
    return bool(text and json.loads(text).get("dir_info", {}).get("editable"))


def test_consult_is_imported_from_the_installed_package() -> None:
    if _editable():
        if os.environ.get("CONSULT_REQUIRE_INSTALLED"):
            pytest.fail("consult is installed editable, but CI must test what pip installs")
        pytest.skip("consult is installed editable (a developer's set-up): the source tree is the package")
    assert INSTALLED.is_relative_to(Path(sys.prefix).resolve()), INSTALLED
    assert not INSTALLED.is_relative_to(CHECKOUT.parent), INSTALLED


def _files(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_every_file_of_the_package_is_installed() -> None:
    if not CHECKOUT.is_dir():
        pytest.skip("no checkout beside the tests")
    assert _files(CHECKOUT) - _files(INSTALLED) == set()
