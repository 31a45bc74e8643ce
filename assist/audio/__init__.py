"""Call audio: recordings and live calls turned into timed, masked turns, then into the staff assistance; the
voiceprint sighting (opt-in). Speech recognition, decoding and speaker embeddings come in through ports."""
