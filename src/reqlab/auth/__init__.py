"""Authentication beyond Basic, Bearer and Digest, as ``auth=`` objects.

Each object has ``auth_flow(request)`` (see :class:`reqlab.model.FlowAuth`),
a generator both clients drive: it may send side requests (an OAuth token
request) and returns the request to send.  The signing logic is pure; the
OAuth 2.0 flows talk to the authorization server through the same client.
"""

from __future__ import annotations

from reqlab.auth._apikey import APIKey
from reqlab.auth._aws import AWSSigV4

__all__ = ["APIKey", "AWSSigV4"]
