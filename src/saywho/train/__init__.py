"""Building saywho's statistical resources from training data (never run in tests)."""
