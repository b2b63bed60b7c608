"""The dynamical Lie algebra: closure, spans, structure constants, classification,
growth law, variance."""
