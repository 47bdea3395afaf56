"""Positions: where each actor stands on a proposition, and how that changes over time.

- :mod:`.topics` topics as propositions, from the command line or a TOML/YAML file;
- :mod:`.relevance` is a statement about a topic (keywords, MiniLM embeddings);
- :mod:`.stance` the stance of a text toward a proposition (rules, then a learned model);
- :mod:`.aggregate` per-actor positions from classified statements (pure functions);
- :mod:`.cli` the ``saywho stance`` and ``saywho positions`` commands.
"""
