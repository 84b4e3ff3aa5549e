"""Packaging's one computed part: the repository's top-level folders mapped into one import namespace.

The folders stay where the design card puts them (``mock_server/``, ``client/``, ``scenarios/``,
``loadtests/``, ``fuzz/``); the wheel installs them as ``intacct_mock`` (the emulator) and
``intacct_mock.client``, ``intacct_mock.scenarios`` ..., so nothing of ours lands at the top level
of a user's environment beside their own ``client`` package. Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
FOLDERS = {"intacct_mock": "mock_server", "intacct_mock.client": "client", "intacct_mock.scenarios": "scenarios",
           "intacct_mock.loadtests": "loadtests", "intacct_mock.fuzz": "fuzz"}


def packages() -> list[str]:
    """Every package under the mapped folders, by its namespace name: the folders with
    ``__init__.py``, and below them the folders of package data (the inspector's templates and
    static files, the scenario library), which Python can import as namespace packages and
    setuptools wants listed (its data globs are in pyproject.toml)."""
    found = []
    for name, folder in FOLDERS.items():
        base = ROOT / folder
        for init in sorted(base.rglob("__init__.py")):
            rel = init.parent.relative_to(base).parts
            found.append(".".join((name, *rel)))
        for data in sorted(p for p in base.rglob("*") if p.is_dir() and not (p / "__init__.py").exists()
                           and p.name != "__pycache__" and any(f.is_file() and f.suffix != ".pyc" for f in p.iterdir())):
            rel = data.relative_to(base).parts
            if all(part.isidentifier() for part in rel):
                found.append(".".join((name, *rel)))
    return found


setup(package_dir=FOLDERS, packages=packages())
