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
    """Every package under the mapped folders (a folder with ``__init__.py``), by its namespace name."""
    found = []
    for name, folder in FOLDERS.items():
        for init in sorted((ROOT / folder).rglob("__init__.py")):
            rel = init.parent.relative_to(ROOT / folder).parts
            found.append(".".join((name, *rel)))
    return found


setup(package_dir=FOLDERS, packages=packages())
