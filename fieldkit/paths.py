"""Where FieldKit keeps things on disk: vault, logs, cache, and its own resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "FieldKit"
APP_AUTHOR = "USDOL"
VAULT_ENV = "FIELDKIT_VAULT"


def default_vault_dir() -> Path:
    """The vault directory: `FIELDKIT_VAULT` if set, else the platform's user data dir."""
    chosen = os.environ.get(VAULT_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / "vault"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def resource_dir() -> Path:
    """The `resources/` tree: beside the package in a checkout, inside the bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
