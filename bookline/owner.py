"""``bookline create-owner``: the first owner of a deployment, made from the command line.

Public sign-up is off by default (ALLOW_SIGNUP), so this is how a venue gets its first login.
The password is never an argument (it would sit in the shell history and the process list):
it is asked for on a terminal, or read from the first line of stdin when piped.
"""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from pydantic import ValidationError as InvalidInput

from admin_api.schemas.auth import Registration
from application.unit_of_work import unit_of_work
from engine.accounts.service import register_business
from engine.exceptions import ValidationError
from infra.runtime import Runtime
from infra.settings import Settings

#: What each field of the registration needs, said the way a person reads it.
RULES = {
    "business_name": "the business name needs 1 to 200 characters",
    "email": "the email address is not valid",
    "password": "the password needs 8 to 256 characters",
}


def read_password(stdin: TextIO = sys.stdin) -> str:
    """Ask twice on a terminal; otherwise the first line of stdin."""
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password for the owner: ")
    if getpass.getpass("Same password again: ") != password:
        raise SystemExit("The passwords differ; nothing was created.")
    return password


def validated(*, email: str, business: str, password: str) -> Registration:
    """The registration the owner API would accept, or a clear exit naming what is wrong."""
    try:
        return Registration(business_name=business, email=email, password=password)
    except InvalidInput as exc:
        fields = sorted({str(error["loc"][0]) for error in exc.errors()})
        raise SystemExit("Nothing was created: " + "; ".join(RULES[f] for f in fields)) from exc


def create_owner(settings: Settings, registration: Registration) -> str:
    """Create the business and its owner; an email already in use is a clear exit, no change."""
    runtime = Runtime(settings)
    try:
        with unit_of_work(runtime) as uow:
            user = register_business(
                uow.session,
                business_name=registration.business_name,
                email=registration.email,
                password=registration.password,
            )
            return f"Owner {user.email} of '{registration.business_name}' created; log in."
    except ValidationError as exc:
        raise SystemExit(f"Nothing was created: {exc.message}") from exc
    finally:
        runtime.close()
