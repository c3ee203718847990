"""Sign in to the running portal as an app does and print the session token.

Usage: api_token.py BASE_URL EMAIL PASSWORD [TOTP_SECRET]
Clinicians and staff complete the authenticator step with a code made from TOTP_SECRET."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import sys
import time
import urllib.error
import urllib.request


def totp(secret: str, at: float) -> str:
    """RFC 6238: six digits, 30-second steps, HMAC-SHA1 (what authenticator apps compute)."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def post(url: str, body: dict[str, str], token: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Session-Token"] = token
    request = urllib.request.Request(  # noqa: S310 (a loopback URL this script was given)
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def main() -> None:
    base, email, password = sys.argv[1:4]
    secret = sys.argv[4] if len(sys.argv) > 4 else ""
    status, body = post(
        f"{base}/_allauth/app/v1/auth/login", {"email": email, "password": password}
    )
    token = body.get("meta", {}).get("session_token", "")
    if status == 401 and secret:
        code = totp(secret, time.time())
        status, body = post(f"{base}/_allauth/app/v1/auth/2fa/authenticate", {"code": code}, token)
        token = body.get("meta", {}).get("session_token", token)
    if status != 200 or not token:
        sys.exit(f"Sign-in as {email} failed: {status} {body}")
    sys.stdout.write(f"{token}\n")


if __name__ == "__main__":
    main()
