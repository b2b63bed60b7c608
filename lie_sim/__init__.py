"""lie_sim: Lie-algebraic analysis of parameterized quantum circuits.

The public API is re-exported here from one subpackage per pipeline stage:
``pauli`` (Pauli strings and sums), ``circuits`` (generators from Cirq circuits, loading),
``algebra`` (closure, structure constants, classification, growth laws, variance),
``catalog`` (literature families), ``cli`` (the ``lie-sim`` command).

The circuit stage is imported on first use of one of its names: it needs Cirq, which takes
seconds to import, and the Pauli-text paths never do.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

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
from lie_sim.errors import (
    CircuitLoadError,
    ClosureLimitError,
    GeneratorError,
    LieSimError,
    ParameterError,
    PauliParseError,
    SimulationLimitError,
    SurrogateFileError,
    UnsupportedGateError,
)
from lie_sim.pauli.paulis import PauliSum, PauliWord, lie_bracket, parse_pauli_sum, pauli_product
from lie_sim.simulate.gsim import GSim, build_gsim

if TYPE_CHECKING:
    from lie_sim.circuits.circuit_io import load_circuit
    from lie_sim.circuits.extraction import Extraction, Generator, extract, extract_generators
    from lie_sim.simulate.persistence import load_gsim
    from lie_sim.simulate.propagation import (
        PreparedCircuit,
        PropagationResult,
        propagate,
        propagate_with_gradients,
    )
    from lie_sim.simulate.qsim_check import Verification, verify_with_qsim
    from lie_sim.simulate.simulator import GSimSimulator

try:
    __version__ = version("lie_sim")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "unknown"

# Names whose modules import Cirq: loaded by __getattr__ on first use (PEP 562).
_LAZY = {
    "Extraction": "lie_sim.circuits.extraction",
    "Generator": "lie_sim.circuits.extraction",
    "extract": "lie_sim.circuits.extraction",
    "extract_generators": "lie_sim.circuits.extraction",
    "load_circuit": "lie_sim.circuits.circuit_io",
    "GSimSimulator": "lie_sim.simulate.simulator",
    "load_gsim": "lie_sim.simulate.persistence",
    "PreparedCircuit": "lie_sim.simulate.propagation",
    "PropagationResult": "lie_sim.simulate.propagation",
    "propagate": "lie_sim.simulate.propagation",
    "propagate_with_gradients": "lie_sim.simulate.propagation",
    "Verification": "lie_sim.simulate.qsim_check",
    "verify_with_qsim": "lie_sim.simulate.qsim_check",
    "CircuitFamily": "lie_sim.catalog.report",
    "Report": "lie_sim.catalog.report",
    "ReportError": "lie_sim.catalog.report",
    "ReportOptions": "lie_sim.catalog.report",
    "report": "lie_sim.catalog.report",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'lie_sim' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AlgebraDecomposition",
    "AlgebraType",
    "BuilderError",
    "CircuitFamily",
    "CircuitLoadError",
    "ClassificationError",
    "ClosureLimitError",
    "DynamicalLieAlgebra",
    "Extraction",
    "FormulaNotApplicableError",
    "GSim",
    "GSimSimulator",
    "Generator",
    "GeneratorError",
    "GrowthLaw",
    "GrowthPoint",
    "IdealContribution",
    "LieSimError",
    "ObservableError",
    "ParameterError",
    "PauliParseError",
    "PauliSum",
    "PauliWord",
    "PreparedCircuit",
    "PropagationResult",
    "Report",
    "ReportError",
    "ReportOptions",
    "SequenceLaw",
    "SimpleIdeal",
    "SimulationLimitError",
    "StateError",
    "StructureConstants",
    "SurrogateFileError",
    "TypeLaw",
    "UnsupportedGateError",
    "VariancePrediction",
    "Verification",
    "adjoint_matrices",
    "build_gsim",
    "classify_algebra",
    "decompose",
    "extract",
    "extract_generators",
    "fit_law",
    "growth_law",
    "lie_bracket",
    "lie_closure",
    "load_circuit",
    "load_gsim",
    "loss_variance",
    "parse_pauli_sum",
    "pauli_product",
    "propagate",
    "propagate_with_gradients",
    "report",
    "structure_constants",
    "verify_with_qsim",
    "__version__",
]
