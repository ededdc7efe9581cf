"""The headquarters server (`fieldkit-hq`): the sync protocol of docs/sync-protocol.md over
SQLite or PostgreSQL, with its admin command line. See docs/hq.md.

It shares only the domain layer and the protocol messages (fieldkit/sync/protocol.py and
body.py) with the desktop app.
"""
