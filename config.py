"""Plenary configuration: one base read from environment variables, plus variants.

Pick a variant with PLENARY_CONFIG=development|production|test (default: development).
"""
import json
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_float(name, default):
    return float(os.environ.get(name, default))


def database_url(raw: str | None) -> str:
    """DATABASE_URL, with plain postgres:// URLs mapped to the psycopg 3 driver we ship."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'plenary.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def transports(raw: str | None) -> list[str]:
    """SOCKETIO_TRANSPORTS: "websocket", or "polling,websocket" (the default)."""
    names = [name.strip() for name in (raw or "polling,websocket").split(",") if name.strip()]
    unknown = sorted(set(names) - {"polling", "websocket"})
    if unknown or not names:
        raise RuntimeError(f"SOCKETIO_TRANSPORTS must be 'websocket' or 'polling,websocket', "
                           f"not {raw!r}.")
    return names


class Config:
    """Settings shared by every variant; each reads an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Socket.IO server: eventlet (default), gevent or threading. wsgi.py patches to match.
    ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
    # Redis (or other kombu URL) so several worker processes share workshops.
    MESSAGE_QUEUE_URL = os.environ.get("MESSAGE_QUEUE_URL") or None
    # Workers share rooms on this channel; two Plenary installs on one Redis need two names.
    MESSAGE_QUEUE_CHANNEL = os.environ.get("MESSAGE_QUEUE_CHANNEL", "plenary")
    # Workers sharing Redis: a crashed worker's attendees leave the presence count after this.
    PRESENCE_TTL = _env_float("PRESENCE_TTL", 15)
    # "websocket": no long-polling at all, so a load balancer needs no sticky sessions.
    # The default lets clients start with polling and upgrade (needs ip_hash behind nginx).
    SOCKETIO_TRANSPORTS = transports(os.environ.get("SOCKETIO_TRANSPORTS"))
    # Public base URL used in QR codes and join links (when behind a proxy).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/") or None
    # Seconds between two coalesced vote-tally (and presence) broadcasts per workshop.
    TALLY_INTERVAL = _env_float("TALLY_INTERVAL", 0.15)
    # Seconds between two sweeps for tallies a crashed worker left pending (and at start-up);
    # 0: no sweeper (the in-process tests; the live ones run it).
    TALLY_SWEEP_INTERVAL = _env_float("TALLY_SWEEP_INTERVAL", 5)
    # Retention: `flask erase-expired` erases profiles and contacts of events closed and
    # quiet for this many days (run it daily from cron or a systemd timer).
    PERSONAL_DATA_DAYS = int(os.environ.get("PERSONAL_DATA_DAYS", "90"))
    # Delta log: a client further behind than this gets a snapshot instead.
    MAX_DELTAS = 500
    # The `flask db` commands (migrations); wsgi.py, which only serves, turns them off.
    MIGRATIONS = True
    MAX_CONTENT_LENGTH = 64 * 1024
    # Socket.IO messages up to this size get a clear error ack; bigger ones close the socket.
    # The largest honest message (a 2,000-character conclusion) is a few KB: 128 KB leaves
    # room for a clear error on anything sent by mistake, and caps what a hostile client
    # makes the server parse (2 MB messages used to raise the server's memory for good).
    SOCKETIO_MAX_BUFFER = 128 * 1024
    # Raw messages one connection may send: a burst, then per second; past that its socket
    # is not read until the next is due (app/realtime/inbound.py). Still throttled after
    # INBOUND_STRIKES messages within 10 s: closed, and that browser may not connect again
    # for INBOUND_HOLD_BACK seconds. Checked before decoding.
    INBOUND_BURST = _env_float("INBOUND_BURST", 40)
    INBOUND_RATE = _env_float("INBOUND_RATE", 30)
    INBOUND_STRIKES = int(os.environ.get("INBOUND_STRIKES", "150"))
    INBOUND_HOLD_BACK = _env_float("INBOUND_HOLD_BACK", 120)
    # ... and bytes: eventlet unmasks a client's frames in Python (~0.25 ms per KB), so a
    # connection sending 128 KB messages at INBOUND_RATE would cost a core.
    INBOUND_BYTES_BURST = _env_float("INBOUND_BYTES_BURST", 256 * 1024)
    INBOUND_BYTES_RATE = _env_float("INBOUND_BYTES_RATE", 64 * 1024)
    # Packets a socket may leave unread before it is closed (app/realtime/backpressure.py).
    SOCKET_MAX_BACKLOG = int(os.environ.get("SOCKET_MAX_BACKLOG", "256"))
    # Broadcasts framed once and written straight to each idle websocket, under eventlet
    # and gevent (app/realtime/fanout.py); 0 leaves every packet to python-engineio's queue.
    DIRECT_FANOUT = os.environ.get("DIRECT_FANOUT", "1") == "1"
    DIRECT_FANOUT_MAX_CHARS = int(os.environ.get("DIRECT_FANOUT_MAX_CHARS", "16384"))
    # Snapshots kept in memory (per workshop version and role), reused by every join/sync.
    SNAPSHOT_CACHE_SIZE = int(os.environ.get("SNAPSHOT_CACHE_SIZE", "64"))
    # Socket event budgets (app/realtime/budgets.py): kind -> (burst, refills per second),
    # per socket; writes, posts and similar-idea checks also per browser over all its
    # sockets. A posted idea is delivered to every phone in the room, and a similar-idea
    # check compares the text with every idea on the board: each has a budget of its own.
    # SOCKET_BUDGETS in the environment (JSON, e.g. {"post": [100, 5]}) overrides some.
    SOCKET_BUDGETS = {"snapshot": (4, 0.5), "read": (5, 1.0), "suggest": (3, 0.2),
                      "hints": (5, 1.0),
                      "similar": (5, 0.2), "write": (60, 20.0), "post": (5, 0.2),
                      **{kind: tuple(rule) for kind, rule in
                         json.loads(os.environ.get("SOCKET_BUDGETS", "{}")).items()}}
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 30 * 24 * 3600
    WTF_CSRF_TIME_LIMIT = None
    # Security headers (app/security_headers.py, docs/PRIVACY.md). Only this site's own
    # scripts, styles, fonts and connections: no inline scripts, styles or style attributes
    # (templates use classes in static/css). 'self' covers Socket.IO's same-origin ws://
    # and wss:// too (CSP 3). Empty: no policy sent.
    CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY", "; ".join((
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'")))
    # Strict-Transport-Security max-age; 0 sends none (development and tests run on http).
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
    TESTING = False
    # Guessing limits (app/limits.py, docs/PRIVACY.md "Guessing limits"), per client address;
    # "30/minute;300/hour" is two limits at once, "" turns one off. The attendee paths count
    # failures only (a venue puts hundreds of phones behind one address).
    LIMIT_JOIN_CODES = os.environ.get("LIMIT_JOIN_CODES", "30/minute;300/hour")
    LIMIT_LOGIN_IP = os.environ.get("LIMIT_LOGIN_IP", "10/minute;50/hour")
    LIMIT_LOGIN_ACCOUNT = os.environ.get("LIMIT_LOGIN_ACCOUNT", "10/15minutes")  # per email
    LIMIT_SETUP = os.environ.get("LIMIT_SETUP", "10/minute")
    LIMIT_FACILITATOR_LINKS = os.environ.get("LIMIT_FACILITATOR_LINKS", "30/minute")
    LIMIT_PUBLISHED_RESULTS = os.environ.get("LIMIT_PUBLISHED_RESULTS", "30/minute")
    LIMIT_API_REFUSALS = os.environ.get("LIMIT_API_REFUSALS", "60/minute")
    RATELIMIT_ENABLED = True
    # Counts live in the Redis of MESSAGE_QUEUE_URL (shared by the workers) when it is a
    # redis:// URL, else in the process's memory; this overrides both.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or None
    # Keys in that storage start with this (default: MESSAGE_QUEUE_CHANNEL, one per install).
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX") or None
    # Redis down: count in each process's memory meanwhile, and never fail a page over it.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Behind nginx every request comes from nginx's address. With TRUSTED_PROXIES=1 the
    # client address is the one the (single) proxy in front appended to X-Forwarded-For;
    # leave 0 when clients reach the app directly (they could forge the header).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))


class DevelopmentConfig(Config):
    # A development key is generated once and kept under instance/ so reloads keep cookies.
    @staticmethod
    def init_secret():
        key_file = INSTANCE_DIR / "secret_key"
        if not key_file.exists():
            INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32))
        return key_file.read_text().strip()


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    # Browsers then use https only, for a year, on this host and its subdomains.
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))

    @staticmethod
    def init_secret():
        key = os.environ.get("SECRET_KEY")
        if not key:
            raise RuntimeError("SECRET_KEY must be set in production (PLENARY_CONFIG=production).")
        return key


class TestConfig(Config):
    TESTING = True
    ASYNC_MODE = "threading"
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False
    TALLY_INTERVAL = 0.15
    TALLY_SWEEP_INTERVAL = 0
    # On, but far above what the suite sends; tests/test_budgets.py sets small ones.
    SOCKET_BUDGETS = {"snapshot": (1000, 100.0), "read": (1000, 100.0),
                      "suggest": (1000, 100.0), "hints": (1000, 100.0),
                      "similar": (1000, 100.0), "write": (5000, 1000.0),
                      "post": (5000, 1000.0)}
    HSTS_SECONDS = 0
    # The limits stay on, but far above what the suite sends from 127.0.0.1;
    # tests/test_limits.py sets small ones.
    LIMIT_JOIN_CODES = LIMIT_LOGIN_IP = LIMIT_LOGIN_ACCOUNT = LIMIT_SETUP = "10000/minute"
    LIMIT_FACILITATOR_LINKS = LIMIT_PUBLISHED_RESULTS = LIMIT_API_REFUSALS = "10000/minute"
    RATELIMIT_STORAGE_URI = None
    RATELIMIT_KEY_PREFIX = None
    TRUSTED_PROXIES = 0

    @staticmethod
    def init_secret():
        return "test-secret-key"


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def get_config(name=None):
    return CONFIGS[name or os.environ.get("PLENARY_CONFIG", "development")]
