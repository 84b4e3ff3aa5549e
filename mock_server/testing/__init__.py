"""Helpers for using the emulator from tests and scripts: admin control handle, runner, pytest plugin."""
