"""Localization: translation catalogs (.po), their workflow and checks, and Babel formatting."""
