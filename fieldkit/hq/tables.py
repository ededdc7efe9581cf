"""HQ's tables, as SQLAlchemy Core metadata (queries build on these; migrations create them).

Times are integer milliseconds since the epoch, the same unit as the protocol's clocks, so
both databases store and compare them alike. Field values and conflict sides are JSON text.
Record ids and nodes take 16 bytes each (`CompactId`, fieldkit/hq/compact_id.py).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from fieldkit.hq.compact_id import CompactId

# Deterministic constraint and index names, so migrations can name what they create.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = 64  # protocol.Id max length
SHA = 64  # hex SHA-256
NAME = 100

devices = Table(
    "devices",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("label", String(NAME), nullable=False),
    Column("node", CompactId, nullable=False, index=True),
    Column("token_sha256", String(SHA), nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen_at", BigInteger),
    Column("revoked_at", BigInteger),
    Column("cursor", BigInteger, nullable=False, default=0),
)

enrolment_codes = Table(
    "enrolment_codes",
    metadata,
    Column("code_sha256", String(SHA), primary_key=True),
    Column("name", String(NAME), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger),
    Column("device_id", String(ID)),
    Column("replaces", String(ID)),  # the revoked device whose nodes the new one takes over
)

# Which device holds each node (a vault's clock id, the owner of the records it creates). A
# node is held by one device only; a replacement laptop takes over the revoked one's nodes.
device_nodes = Table(
    "device_nodes",
    metadata,
    Column("node", CompactId, primary_key=True),
    Column("device_id", String(ID), nullable=False, index=True),
    Column("held_since", BigInteger, nullable=False),
)

# One row per record HQ has heard of: who owns it, who may see it, and its current fields as
# one JSON object (`doc`). Every field in `doc` was written at the record's version (`hlc`,
# `node`, numbered `seq` for pulls) unless `field_versions` holds a version of its own: a new
# record costs one row, an edit of a few fields one small row per field edited.
records = Table(
    "records",
    metadata,
    Column("record_id", CompactId, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("owner_node", CompactId, nullable=False),
    Column("private", Boolean, nullable=False),
    Column("parent_record", CompactId, index=True),  # an attachment's record
    Column("blob_sha256", String(SHA), index=True),  # an attachment's bytes
    Column("doc", LargeBinary, nullable=False),  # {"field": value, ...} (hq/doc_codec.py)
    Column("hlc", BigInteger, nullable=False),
    Column("node", CompactId, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
)

# zstd dictionaries trained on each kind's documents (fieldkit/hq/doc_codec.py): kept for ever,
# the documents compressed with one need it.
doc_dictionaries = Table(
    "doc_dictionaries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# The fields whose version differs from their record's (edited after the record was written).
field_versions = Table(
    "field_versions",
    metadata,
    Column("record_id", CompactId, primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("hlc", BigInteger, nullable=False),
    Column("node", CompactId, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
)

conflicts = Table(
    "conflicts",
    metadata,
    Column("id", String(ID), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("record_id", CompactId, nullable=False, index=True),
    Column("field", String(64), nullable=False),
    Column("kept", Text, nullable=False),
    Column("other", Text, nullable=False),
    Column("resolved", Boolean, nullable=False),
    Column("seq", BigInteger, nullable=False, index=True),
)

# Acknowledgements already given, so a replayed batch changes nothing.
batches = Table(
    "batches",
    metadata,
    Column("device_id", String(ID), primary_key=True),
    Column("batch_id", String(ID), primary_key=True),
    Column("response", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# One row: the last server sequence number handed out.
sequence_counter = Table(
    "sequence_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

# Settings every HQ process on this database shares (the server id devices enrol with).
server_settings = Table(
    "server_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Each uploader's copy of a blob is its own: bytes are read only through an attachment whose
# owner uploaded them, so knowing a hash neither reveals nor reaches another device's bytes.
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(SHA), primary_key=True),
    Column("uploader", CompactId, primary_key=True),  # the node of the device that sent them
    Column("length", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

blob_chunks = Table(
    "blob_chunks",
    metadata,
    Column("sha256", String(SHA), primary_key=True),
    Column("uploader", CompactId, primary_key=True),
    Column("start", BigInteger, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# What HQ orders a device on its next contact: a remote wipe (signed, bound to the device and
# a nonce) and a lease of its own (days; NULL: the global lease in server_settings).
device_controls = Table(
    "device_controls",
    metadata,
    Column("device_id", String(ID), primary_key=True),
    Column("wipe_ordered_at", BigInteger),
    Column("wipe_keep_unsent", Boolean, nullable=False, default=False),
    Column("wipe_nonce", String(ID)),
    Column("wipe_delivered_at", BigInteger),
    Column("wiped_at", BigInteger),
    Column("lease_days", Integer),
)

SEQUENCE_ROW = 1
SERVER_ID = "server_id"

# --- roles, posts, the audit trail and the console's admin tokens ------------------------------

ROLE = 16
ATTACHE = "attache"
REVIEWER = "reviewer"

# A device's role and post. No row means an attaché without a post (devices enrolled before
# roles existed). A reviewer reads every record of the attachés in its posts (`all_posts`: of
# every attaché), unshared interviews included (fieldkit/hq/visibility.py).
device_roles = Table(
    "device_roles",
    metadata,
    Column("device_id", String(ID), primary_key=True),
    Column("role", String(ROLE), nullable=False),
    Column("post", String(NAME)),  # an attaché's post, e.g. "Mexico City"
    Column("all_posts", Boolean, nullable=False),  # a reviewer of every post
    Column("changed_at", BigInteger, nullable=False),
)

# The posts a reviewer reads (when not `all_posts`).
reviewer_posts = Table(
    "reviewer_posts",
    metadata,
    Column("device_id", String(ID), primary_key=True),
    Column("post", String(NAME), primary_key=True),
)

# The role an enrolment code gives the device it enrols (no row: an attaché without a post).
code_roles = Table(
    "code_roles",
    metadata,
    Column("code_sha256", String(SHA), primary_key=True),
    Column("role", String(ROLE), nullable=False),
    Column("post", String(NAME)),
    Column("posts", Text),  # a reviewer's posts as a JSON list; NULL for every post
)

# Append-only and hash-chained (fieldkit/hq/audit.py): each interview field HQ served to each
# device, and each admin command. Never a field's value, a token or a code.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("at", BigInteger, nullable=False),
    Column("action", String(16), nullable=False),  # "served" or "admin"
    Column("device_id", String(ID), index=True),  # the device served
    Column("record_id", CompactId, index=True),
    Column("field", String(64)),
    Column("actor", String(NAME)),  # who ran an admin command
    Column("detail", Text),  # the command, without secrets
    Column("hash", String(SHA), nullable=False),
)

# Console sign-in tokens (SHA-256 only) and the sessions they open.
admin_tokens = Table(
    "admin_tokens",
    metadata,
    Column("token_sha256", String(SHA), primary_key=True),
    Column("label", String(NAME), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
)

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("session_sha256", String(SHA), primary_key=True),
    Column("token_sha256", String(SHA), nullable=False),
    Column("csrf", String(SHA), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)

AUDIT_HEAD = "audit_head"  # server_settings: "<last id>:<last hash>", to detect a cut tail
SIGNING_KEY = "signing_key"  # Ed25519, raw private bytes in base64: signs device orders
SEALING_KEY = "sealing_key"  # X25519, raw private bytes in base64: opens travel lists
LEASE_DAYS = "lease_days"  # the global lease; absent: none

# The FieldKit version each device last synced with (fieldkit/hq/app_versions.py).
device_versions = Table(
    "device_versions",
    metadata,
    Column("device_id", String(ID), primary_key=True),
    Column("app_version", String(32), nullable=False),
    Column("reported_at", BigInteger, nullable=False),
)
