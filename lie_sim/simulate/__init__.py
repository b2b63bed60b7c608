"""Classical simulation of parameterized circuits: g-sim in a small Lie space."""
