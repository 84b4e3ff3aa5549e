"""How Flask code reaches the emulator: typed getters instead of string lookups in ``app.config``.

``create_app`` installs the ``Emulator`` and its front doors in ``app.extensions``; views call
``current_emulator()``, tools and tests holding an app call ``emulator_of(app)``. A front door's
own views module offers a typed getter for its door (``gateway.views.xml_gateway_of``), so this
module knows the core and nothing above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from flask import Flask, current_app

if TYPE_CHECKING:  # pragma: no cover
    from .emulator import Emulator

EXTENSION = "intacct_mock"
DOORS = "intacct_mock.doors"


def install(app: Flask, emulator: "Emulator", doors: Mapping[str, Any]) -> None:
    app.extensions[EXTENSION] = emulator
    app.extensions[DOORS] = dict(doors)


def emulator_of(app: Flask) -> "Emulator":
    return app.extensions[EXTENSION]


def door_of(app: Flask, name: str) -> Any:
    return app.extensions[DOORS][name]


def current_emulator() -> "Emulator":
    return emulator_of(current_app)
