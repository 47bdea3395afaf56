"""Shipped model files (attribution tagger, stance model, MiniLM graph), each with its card."""
