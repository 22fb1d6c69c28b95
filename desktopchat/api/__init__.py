"""The local OpenAI-compatible API: a Starlette app on uvicorn, on its own thread, bound to
127.0.0.1, serving the model the app has loaded (``routes``, ``server``, ``protocol``).

Qt-free apart from ``serve`` (the headless runner); it reaches the engine only through a
``jobs.Backend``, which the app implements with ``desktopchat.session.api_bridge.ApiBridge``.
"""
