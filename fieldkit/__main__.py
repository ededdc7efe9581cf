from __future__ import annotations

from fieldkit.cli import main

raise SystemExit(main())
