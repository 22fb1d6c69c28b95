"""Conversations and messages: values, history trimming and the SQLite store (Qt-free)."""
