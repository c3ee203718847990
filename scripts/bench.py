"""`make bench`: see apps/core/bench.py and the README."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.core.bench import run

if __name__ == "__main__":
    sys.exit(run())
