"""The lie_sim exception hierarchy: thin subclasses of the built-in errors."""


class LieSimError(Exception):
    """Base class of every error lie_sim raises on purpose."""


class PauliParseError(LieSimError, ValueError):
    """Text that is not a Pauli string or Pauli sum in lie_sim's text form."""


class GeneratorError(LieSimError, ValueError):
    """A generator set that does not define a Lie algebra lie_sim can close.

    Raised for empty sets, identity-only sets, mixed real and imaginary coefficients,
    and qubits of mismatched kinds.
    """


class UnsupportedGateError(LieSimError, TypeError):
    """A circuit operation lie_sim cannot read a generator from."""


class ClosureLimitError(LieSimError, RuntimeError):
    """The Lie closure grew past the caller's ``max_dim``, or past the memory available.

    Attributes:
        dim_reached: dimension of the span found when the limit was hit (at least
            ``max_dim + 1`` for ``max_dim``); the closure was abandoned there, so this is a
            lower bound.
        max_dim: the caller's limit (None when memory was the limit).
        estimated_bytes: when memory was the limit, the estimated peak of the next step.
        available_bytes: when memory was the limit, the memory it was compared with.
    """

    def __init__(
        self,
        dim_reached: int,
        max_dim: int | None,
        *,
        estimated_bytes: int | None = None,
        available_bytes: int | None = None,
    ):
        self.dim_reached = dim_reached
        self.max_dim = max_dim
        self.estimated_bytes = estimated_bytes
        self.available_bytes = available_bytes
        if estimated_bytes is None:
            message = (
                f"Lie closure exceeded max_dim={max_dim}: reached dimension {dim_reached} "
                "and stopped; raise max_dim (or pass max_dim=None) to finish the closure"
            )
        else:
            scale, unit = (2**30, "GiB") if estimated_bytes >= 2**30 else (2**20, "MiB")
            message = (
                f"Lie closure stopped at dimension {dim_reached} before running out of memory: "
                f"the next step needs an estimated {estimated_bytes / scale:.3g} {unit}, "
                f"{(available_bytes or 0) / scale:.3g} {unit} available; free memory or set "
                "max_dim to stop earlier"
            )
        super().__init__(message)


class ClassificationError(LieSimError, RuntimeError):
    """The root-system analysis of an algebra failed its consistency checks."""


class FormulaNotApplicableError(LieSimError, ValueError):
    """Neither the observable nor the initial state lies in ``i·g``: no variance prediction."""


class StateError(LieSimError, ValueError):
    """An initial state that is not a valid product state or state vector on the qubits."""


class ObservableError(LieSimError, ValueError):
    """An observable that is not a Hermitian Pauli sum on the algebra's qubits."""


class BuilderError(LieSimError, ValueError):
    """A growth-law builder that raised, or returned something that is not generators."""


class CircuitLoadError(LieSimError, ValueError):
    """A circuit spec that names no readable file, module, attribute or circuit."""


class UsageError(LieSimError, ValueError):
    """Command-line arguments that do not fit together or cannot be read."""


class SimulationLimitError(LieSimError, RuntimeError):
    """A classical simulation would need a space larger than its size limit.

    Attributes:
        dim_reached: dimension reached when the limit was hit (a lower bound).
        limit: the limit.
        space: what grew too large (the dynamical Lie algebra, a string space, a module).
    """

    def __init__(self, message: str, *, dim_reached: int, limit: int | None, space: str):
        self.dim_reached = dim_reached
        self.limit = limit
        self.space = space
        super().__init__(message)


class ParameterError(LieSimError, ValueError):
    """Parameter values that leave a circuit symbol unresolved or are not real numbers."""


class SurrogateFileError(LieSimError, ValueError):
    """A saved g-sim surrogate that is corrupt, of another format version, or of another
    circuit than the one it is loaded for."""
