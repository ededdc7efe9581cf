"""The only package that touches SQLite. Importing it first points sqlite-utils at sqlcipher3.

sqlite-utils catches the standard library's `sqlite3.OperationalError`, which sqlcipher3's
errors do not inherit from; sqlite-utils prefers a module named `pysqlite3` when one is
importable, so aliasing sqlcipher3 under that name makes every one of its `except` clauses
catch sqlcipher3's classes (proved by tests/store/test_sqlite_utils_conformance.py).
"""

from __future__ import annotations

import sys

import sqlcipher3
import sqlcipher3.dbapi2

if "sqlite_utils" in sys.modules and sys.modules.get("pysqlite3") is not sqlcipher3:
    raise ImportError("fieldkit.store must be imported before sqlite_utils")
sys.modules["pysqlite3"] = sqlcipher3
sys.modules["pysqlite3.dbapi2"] = sqlcipher3.dbapi2
