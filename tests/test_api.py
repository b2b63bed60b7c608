"""The public names of lie_sim are pinned: adding or removing one is a deliberate change."""

import lie_sim

PUBLIC = {
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
    "GSim",
    "GSimSimulator",
    "ParameterError",
    "SimulationLimitError",
    "SurrogateFileError",
    "Verification",
    "build_gsim",
    "load_gsim",
    "verify_with_qsim",
    "PreparedCircuit",
    "PropagationResult",
    "propagate",
    "propagate_with_gradients",
    "CircuitFamily",
    "Report",
    "ReportError",
    "ReportOptions",
    "report",
    "__version__",
}


def test_public_names_are_pinned():
    assert set(lie_sim.__all__) == PUBLIC
    assert all(hasattr(lie_sim, name) for name in PUBLIC)


def test_errors_derive_from_lie_sim_error_and_a_builtin():
    for name in PUBLIC:
        obj = getattr(lie_sim, name)
        if name == "__version__":
            continue
        if isinstance(obj, type) and issubclass(obj, Exception) and obj is not lie_sim.LieSimError:
            assert issubclass(obj, lie_sim.LieSimError)
            assert any(issubclass(obj, b) for b in (ValueError, TypeError, RuntimeError)), name


def test_public_callables_have_docstrings_with_examples():
    for name in ("lie_closure", "extract_generators", "classify_algebra", "loss_variance"):
        assert ">>>" in (getattr(lie_sim, name).__doc__ or ""), name
