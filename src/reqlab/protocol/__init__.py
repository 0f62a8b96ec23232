"""Sans-IO protocol logic: keep-alive rules, connection state, framing.

Nothing in this package imports socket, ssl or asyncio (a test checks it).
"""
