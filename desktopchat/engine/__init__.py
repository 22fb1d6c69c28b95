"""The inference engine: the only package that imports llama_cpp (Qt-free).

``desktopchat.engine.types`` holds the immutable values that cross threads and can be imported
without loading llama.cpp; ``desktopchat.engine.engine`` loads it.
"""
