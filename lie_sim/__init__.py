"""lie_sim: Lie-algebraic analysis of parameterized quantum circuits."""
