"""How Flask code reaches the emulator: one typed getter instead of string lookups in ``app.config``.

``create_app`` stores the ``Emulator`` and its front doors in ``app.extensions``; views call
``current_emulator()`` / ``current_xml_gateway()``, tools and tests holding an app call
``emulator_of(app)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:  # pragma: no cover
    from .emulator import Emulator
    from .gateway.pipeline import XmlGateway

EXTENSION = "intacct_mock"


@dataclass(frozen=True)
class Doors:
    """The emulator an app adapts, and its front doors."""

    emulator: "Emulator"
    xml: "XmlGateway"


def install(app: Flask, doors: Doors) -> None:
    app.extensions[EXTENSION] = doors


def doors_of(app: Flask) -> Doors:
    return app.extensions[EXTENSION]


def emulator_of(app: Flask) -> "Emulator":
    return doors_of(app).emulator


def xml_gateway_of(app: Flask) -> "XmlGateway":
    return doors_of(app).xml


def current_emulator() -> "Emulator":
    return emulator_of(current_app)


def current_xml_gateway() -> "XmlGateway":
    return xml_gateway_of(current_app)
