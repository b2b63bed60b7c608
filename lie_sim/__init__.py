"""lie_sim: Lie-algebraic analysis of parameterized quantum circuits.

The public API is re-exported here; each name lives in a module of its own concept.
"""

from lie_sim.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.errors import (
    ClosureLimitError,
    GeneratorError,
    LieSimError,
    PauliParseError,
    UnsupportedGateError,
)
from lie_sim.paulis import PauliSum, PauliWord, lie_bracket, parse_pauli_sum, pauli_product

__all__ = [
    "ClosureLimitError",
    "DynamicalLieAlgebra",
    "GeneratorError",
    "LieSimError",
    "PauliParseError",
    "PauliSum",
    "PauliWord",
    "UnsupportedGateError",
    "lie_bracket",
    "lie_closure",
    "parse_pauli_sum",
    "pauli_product",
]
