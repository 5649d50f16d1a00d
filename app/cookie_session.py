"""The signed cookie session, opened once per Socket.IO connection instead of once per event.

Flask opens the session whenever a request context is pushed, and Flask-SocketIO pushes one
for every event, on the connection's handshake environ: so every vote, post and sync checked
the cookie's signature and decoded it again (~100-150 µs of CPU; docs/PERFORMANCE.md), only
for Flask-SocketIO to swap in its own copy, made at the connection's first event and kept in
that environ as `saved_session`. This interface hands that very copy over instead. HTTP
requests are untouched: each has an environ of its own, without the copy.
"""
from flask.sessions import SecureCookieSessionInterface

SOCKET_COPY = "saved_session"  # where Flask-SocketIO (manage_session=True) keeps its copy


class CookieSessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        """Flask builds a new serializer for every cookie it reads or writes (and itsdangerous
        test-serialises `{}` in each constructor: 1 % of a join burst's server time). One per
        app and set of keys, built again when SECRET_KEY or its fallbacks change."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = getattr(self, "_serializer", None)
        if cached is None or cached[0] is not app or cached[1] != keys:
            cached = self._serializer = (app, keys, super().get_signing_serializer(app))
        return cached[2]

    def open_session(self, app, request):
        copy = request.environ.get(SOCKET_COPY)
        if copy is not None:
            return copy
        return super().open_session(app, request)
