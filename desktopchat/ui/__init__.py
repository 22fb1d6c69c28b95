"""Widgets only: the main window, chat view, sidebar, composer and dialogs."""
