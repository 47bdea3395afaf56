"""Scoring saywho against annotated reference data."""
