"""The HQ console: read-only web pages for HQ's admins at /console (docs/hq.md)."""
