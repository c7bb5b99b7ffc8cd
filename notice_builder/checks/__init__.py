"""Checks of the model, the localized view and the built site; each returns diagnostics."""
