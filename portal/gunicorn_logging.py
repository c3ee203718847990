"""gunicorn's access log without invitation tokens (`--logger-class
portal.gunicorn_logging.RedactingLogger`, see docker-compose.yml)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from portal.redaction import redact


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = redact(value)
        return atoms
