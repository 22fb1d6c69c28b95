"""Models: the starter model, local model files, GGUF validation (and, in ``hub``/``download``,
the only code that imports huggingface_hub). Qt-free. This ``__init__`` imports nothing so that
the engine can use ``models.gguf`` without pulling in the Hub client.
"""
