"""The Qt side of the core: one controller per responsibility, and the workers on their QThreads.

- ``conversations``: the list of chats and which one is open;
- ``generation``: sending, regenerating, editing, streaming replies and reading drafts ahead;
- ``model_session``: which model is selected, loading and unloading it, its saved KV state;
- ``library``: listing, importing and removing models, off the UI thread;
- ``engine_worker``, ``library_worker``, ``hub_workers``: the QObjects that live on worker
  threads; ``hub``: the Hub panels' wiring.
"""
