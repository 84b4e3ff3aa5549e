"""STATE actions: the world changes before the request runs, so authentication fails the natural way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..spec import text
from .base import Action, Phase, World

if TYPE_CHECKING:  # pragma: no cover
    from ..engine import RequestFacts

class SessionExpire(Action):
    type, phase = "session_expire", Phase.STATE
    order = 50
    summary = ("The session the matching request signs in with expires just before it runs, so the call fails as "
               "with a stale session (requests that log in are unaffected).")

    @classmethod
    def examples(cls):
        return [("session_expire", "session expires")]

    def change(self, world: World, facts: "RequestFacts") -> None:
        if facts.sessionid:
            world.expire_session(facts.sessionid)


class RotatePassword(Action):
    type, phase = "rotate_password", Phase.STATE
    order = 60
    short_form = "new_password"
    summary = ("The requesting user's password changes (to `new_password`, or the old one with `-rotated` "
               "appended) before the request runs, so it and later sign-ins with the old password fail.")
    properties = {"new_password": {"type": "string", "minLength": 1}}

    @classmethod
    def normalise(cls, raw, path):
        return {"new_password": text(raw["new_password"], f"{path}.new_password")} if "new_password" in raw else {}

    @classmethod
    def examples(cls):
        return [("rotate_password", "password rotated")]

    def change(self, world: World, facts: "RequestFacts") -> None:
        world.rotate_password(facts.company or "", facts.user or "", self.spec.get("new_password"))
