"""Shared pieces of the demo clinic (see the seed_demo command). Demo values only: never use
them on a real clinic's portal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apps.accounts.models import User

DEMO_PASSWORD = "demo-clinic-2026"  # noqa: S105  # nosec B105 - published demo password
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  # nosec B105 - demo key


@dataclass
class Demo:
    out: Any
    people: dict[str, User] = field(default_factory=dict)

    def say(self, text: str) -> None:
        self.out.write(text)
