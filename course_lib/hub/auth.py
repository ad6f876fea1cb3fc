"""Accounts from the class list, each with a password its learner chooses the first time.

FirstUseAuthenticator (``jupyterhub-firstuseauthenticator``, also in Zero to JupyterHub's hub
image): only logins on a class list (or the instructors') exist, so a name that is not on one is
refused before any password is looked at or stored: a flood of made-up names creates nothing. The
first password given for a listed name becomes its password (bcrypt, in ``hub/state/``). An
instructor resets a learner's password by removing them in the hub's admin page; ``course hub``
puts them back from the class list at its next start (or the instructor adds them there).
"""

from __future__ import annotations

from firstuseauthenticator import FirstUseAuthenticator
from traitlets import default

from ..i18n import N_, html_in_every_language, in_every_language
from .settings import normal_name

# The login page comes before anyone knows a learner's language: it says its words in every language of the course.
REFUSED = N_("That name is not on the class list, or the password is not the one chosen the first time. Check the "
             "name your instructor gave you; if you forgot your password, ask your instructor to reset it.")
LOGIN_NOTE = N_("Log in with the name your instructor gave you. The first time, choose a password of at least 7 "
                "characters: it becomes yours. Your work is kept between visits.")


def login_note() -> str:
    """The note above the login form (HTML), in every language."""
    return html_in_every_language(LOGIN_NOTE)


def refused() -> str:
    """Why a login failed (the hub escapes it: plain text), in every language."""
    return " / ".join(text for _code, text in in_every_language(REFUSED))


class CourseAuthenticator(FirstUseAuthenticator):
    @default("create_users")
    def _listed_only(self) -> bool:
        return False

    def normalize_username(self, username: str) -> str:
        return super().normalize_username(username.strip())

    def validate_username(self, name: str) -> bool:
        return normal_name(name) == name and super().validate_username(name)

    async def authenticate(self, handler, data):
        name = self.normalize_username(str(data.get("username", "")))
        if not self.validate_username(name):
            user = None
        else:
            user = await super().authenticate(handler, {**data, "username": name})
        if user is None and handler is not None and not getattr(handler, "custom_login_error", ""):
            handler.custom_login_error = refused()
        return user
