"""Helpers every room shares: decoding and normalising Chinese text, clauses and negation cues, PII masking, prompts,
JSON Lines, atomic files, expiring maps, the official channel table and the envelope of trained artefacts."""
