"""lie_sim: Lie-algebraic analysis of parameterized quantum circuits.

The public API is re-exported here; each name lives in a module of its own concept:
``paulis`` (Pauli strings and sums), ``closure`` (the DLA), ``extraction`` (generators from
Cirq circuits), ``circuit_io`` (loading circuits), ``structure`` (structure constants),
``classification`` (centre, simple ideals, type), ``growth`` (dimension laws in n),
``variance`` (barren-plateau variance), ``architectures`` (literature families).
"""

from lie_sim.algebra.classification import (
    AlgebraDecomposition,
    AlgebraType,
    ClassificationError,
    SimpleIdeal,
    classify_algebra,
    decompose,
)
from lie_sim.algebra.closure import DynamicalLieAlgebra, lie_closure
from lie_sim.algebra.growth import (
    BuilderError,
    GrowthLaw,
    GrowthPoint,
    SequenceLaw,
    TypeLaw,
    fit_law,
    growth_law,
)
from lie_sim.algebra.structure import StructureConstants, adjoint_matrices, structure_constants
from lie_sim.algebra.variance import (
    FormulaNotApplicableError,
    IdealContribution,
    ObservableError,
    StateError,
    VariancePrediction,
    loss_variance,
)
from lie_sim.circuits.circuit_io import CircuitLoadError, load_circuit
from lie_sim.circuits.extraction import Extraction, Generator, extract, extract_generators
from lie_sim.errors import (
    ClosureLimitError,
    GeneratorError,
    LieSimError,
    PauliParseError,
    UnsupportedGateError,
)
from lie_sim.pauli.paulis import PauliSum, PauliWord, lie_bracket, parse_pauli_sum, pauli_product

__all__ = [
    "AlgebraDecomposition",
    "AlgebraType",
    "BuilderError",
    "CircuitLoadError",
    "ClassificationError",
    "ClosureLimitError",
    "DynamicalLieAlgebra",
    "Extraction",
    "FormulaNotApplicableError",
    "Generator",
    "GeneratorError",
    "GrowthLaw",
    "GrowthPoint",
    "IdealContribution",
    "LieSimError",
    "ObservableError",
    "PauliParseError",
    "PauliSum",
    "PauliWord",
    "SequenceLaw",
    "SimpleIdeal",
    "StateError",
    "StructureConstants",
    "TypeLaw",
    "UnsupportedGateError",
    "VariancePrediction",
    "adjoint_matrices",
    "classify_algebra",
    "decompose",
    "extract",
    "extract_generators",
    "fit_law",
    "growth_law",
    "lie_bracket",
    "lie_closure",
    "load_circuit",
    "loss_variance",
    "parse_pauli_sum",
    "pauli_product",
    "structure_constants",
]
