"""Gate translation tables: the Pauli generators of a parameterized Cirq gate.

Every supported parameterized gate is, up to a global phase, a product of commuting exponentials
``e^{-i θ_s H_s}``, one per symbol ``θ_s`` in its angles, times a fixed gate (its value at θ = 0).
`translate` reads the ``H_s`` of one operation on its own qubits as Pauli labels, with exact
coefficients (a sympy factor times Fractions) where the gate's parameters allow.

Tables are tried in a fixed order, as in stimcirq's ``_cirq_to_stim.py``: the operation's own
kind (Pauli string phasors), then the gate type (walking the MRO; controlled gates of table
gates included). The caller goes on to ``cirq.decompose_once`` and then an
`UnsupportedGateError` when `translate` raises LookupError.

A slot is (angle, terms): the gate contains e^{-i·angle·K} with K = Σ terms[label]·label, the
identity included (so controlled versions are right); the slots of one gate commute. The eigen
decompositions follow the gate definitions in Cirq's ``ops/common_gates.py``,
``ops/parity_gates.py``, ``ops/swap_gates.py`` and ``ops/fsim_gate.py``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import cirq
import numpy as np
import sympy

SUPPORTED = (
    "rx/ry/rz, X/Y/Z/H/CZ/CX/CCZ/CCX/XX/YY/ZZ/SWAP/ISWAP powers (any global_shift, MSGate, "
    "riswap), FSimGate, PhasedXPowGate and PhasedISwapPowGate with numeric phase_exponent, "
    "PauliStringPhasor (PauliString**t, PauliSumExponential), controlled versions of these, "
    "anything cirq.decompose_once turns into them, fixed gates with a unitary, and terminal "
    "measurements; angles must be affine in their symbols"
)


class GateProblem(Exception):
    """Why a gate cannot be read; the caller adds the operation and moment (internal)."""


@dataclasses.dataclass(frozen=True)
class LocalGenerator:
    """A generator on a gate's own qubits: Σ coefficients[j]·labels[j] (labels over op.qubits).

    Exact when ``factor`` is a sympy number and the coefficients are Fractions (the true
    coefficient is factor·coefficient); otherwise factor is None and coefficients are floats.
    """

    labels: tuple[str, ...]
    coefficients: tuple[Any, ...]
    factor: sympy.Expr | None


def float_factor(factor: sympy.Expr | None) -> float:
    """The value of an exact coefficient factor, or 1.0 where there is none (float terms)."""
    return 1.0 if factor is None else float(factor)


@dataclasses.dataclass(frozen=True)
class Translation:
    """What one parameterized operation contributes, on its own qubits.

    Attributes:
        generators: (symbol, generator) pairs: the operation is ``F·∏_s e^{-i θ_s H_s}`` (the
            factors commute), with F its value at θ = 0; symbols with a zero generator dropped.
        residual: whether F is not the identity (a fixed gate remains to be pushed through).
    """

    generators: tuple[tuple[sympy.Symbol, LocalGenerator], ...]
    residual: bool


def translate(op: cirq.Operation) -> Translation:
    """The per-symbol generators of a parameterized operation, from the translation tables.

    Args:
        op: an untagged operation on qubits.

    Returns:
        A `Translation`.

    Raises:
        LookupError: when no table matches (the caller decomposes the operation).
        GateProblem: when a table matches but the gate's parameters cannot be read (a
            symbolic phase exponent, an angle not affine in its symbols, ...).

    Example:
        >>> t = sympy.Symbol("t")
        >>> translation = translate(cirq.rz(2 * t + 1).on(cirq.LineQubit(0)))
        >>> translation.generators, translation.residual
        (((t, LocalGenerator(labels=('Z',), coefficients=(Fraction(1, 1),), factor=1)),), True)
    """
    slots = _op_slots(op)
    if slots is None:
        raise LookupError
    return _translation(slots)


# --------------------------------------------------------------------------- gate tables


Slot = tuple[Any, dict[str, sympy.Expr]]
_PI = sympy.pi
_HALF = sympy.Rational(1, 2)
_QUARTER = sympy.Rational(1, 4)
_MINUS = {"I": _HALF, "X": -_HALF}  # |−⟩⟨−|, the target's −1 eigenspace of X


def _exact_number(value: Any, name: str) -> sympy.Expr:
    """A numeric gate parameter as an exact sympy number (floats read as their decimal)."""
    if isinstance(value, sympy.Basic):
        if value.free_symbols:
            raise GateProblem(
                f"symbolic {name}={value} makes the generator depend on the parameter"
            )
        return _rationalized(value)
    if isinstance(value, int | np.integer):
        return sympy.Integer(int(value))
    return sympy.Rational(repr(float(value)))


def _rationalized(expr: sympy.Expr) -> sympy.Expr:
    floats = expr.atoms(sympy.Float)
    if not floats:
        return expr
    return expr.xreplace({f: sympy.Rational(repr(float(f))) for f in floats})


def _eigen(terms: dict[str, Any], identity_phase: Any) -> Callable[[cirq.Gate], list[Slot]]:
    """Slots of an EigenGate ``e^{iπ t s}·e^{-it(K + c·I)}`` with K = terms, c = identity_phase."""
    identity = "I" * len(next(iter(terms)))

    @functools.lru_cache(maxsize=256)
    def full(global_shift: Any) -> dict[str, Any]:
        shift = _exact_number(global_shift, "global_shift")
        return _plus(terms, {identity: identity_phase - _PI * shift})

    def slots(gate: cirq.Gate) -> list[Slot]:
        return [(gate.exponent, full(gate.global_shift))]

    return slots


def _pauli_pow(label: str) -> Callable[[cirq.Gate], list[Slot]]:
    """P**t = e^{iπt/2}·e^{-iπt P/2} for a Pauli (product) P with eigenvalues ±1."""
    return _eigen({label: _PI / 2}, -_PI / 2)


def _projector_pow(projector: dict[str, Any]) -> Callable[[cirq.Gate], list[Slot]]:
    """G**t = e^{iπt·Π} = e^{-it·(−πΠ)} for a gate G = 1 − 2Π (CZ, CX, CCZ, CCX)."""
    return _eigen({label: -_PI * c for label, c in projector.items()}, 0)


def _projector(values: Sequence[int]) -> dict[str, sympy.Expr]:
    """|v⟩⟨v| on len(values) qubits as a Pauli sum."""
    out: dict[str, sympy.Expr] = {"": sympy.Integer(1)}
    for v in values:
        one = {"I": _HALF, "Z": _HALF * (-1) ** v}
        out = _kron(out, one)
    return out


def _kron(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {la + lb: ca * cb for la, ca in a.items() for lb, cb in b.items()}


def _plus(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for label, c in b.items():
        out[label] = out.get(label, 0) + c
    return out


def _phased_x_slots(gate: cirq.PhasedXPowGate) -> list[Slot]:
    return [(gate.exponent, _phased_x_terms(gate.phase_exponent, gate.global_shift))]


@functools.lru_cache(maxsize=256)
def _phased_x_terms(phase_exponent: Any, global_shift: Any) -> dict[str, Any]:
    """Z^p·X^t·Z^-p: K = π/2·(cos πp·X + sin πp·Y)."""
    p = _exact_number(phase_exponent, "phase_exponent")
    shift = _exact_number(global_shift, "global_shift")
    return {
        "X": _PI / 2 * sympy.cos(_PI * p),
        "Y": _PI / 2 * sympy.sin(_PI * p),
        "I": -_PI * (shift + _HALF),
    }


def _phased_iswap_slots(gate: cirq.PhasedISwapPowGate) -> list[Slot]:
    return [(gate.exponent, _phased_iswap_terms(gate.phase_exponent))]


@functools.lru_cache(maxsize=256)
def _phased_iswap_terms(phase_exponent: Any) -> dict[str, Any]:
    """(Z^-p ⊗ Z^p)·ISWAP^t·(Z^p ⊗ Z^-p): K = −π/4·[cos 2πp·(XX+YY) + sin 2πp·(XY−YX)].

    No identity term for global_shift: cirq 1.7 drops it when resolving parameters, so every
    simulated (resolved) symbolic gate has none; it would only matter for controlled versions.
    """
    p = _exact_number(phase_exponent, "phase_exponent")
    c, s = sympy.cos(2 * _PI * p), sympy.sin(2 * _PI * p)
    q = -_PI / 4
    return {"XX": q * c, "YY": q * c, "XY": q * s, "YX": -q * s, "II": 0}


def _fsim_slots(gate: cirq.FSimGate) -> list[Slot]:
    phi_terms = {"ZZ": _QUARTER, "ZI": -_QUARTER, "IZ": -_QUARTER, "II": _QUARTER}
    return [(gate.theta, {"XX": _HALF, "YY": _HALF, "II": 0}), (gate.phi, phi_terms)]


def _global_phase_slots(gate: cirq.GlobalPhaseGate) -> list[Slot]:
    """coefficient = e^{iα} = e^{-iα·(−1)}: slot (α, {"": −1})."""
    c = gate.coefficient
    if isinstance(c, sympy.Pow) and c.base.is_number and not c.base.free_symbols:
        angle = sympy.arg(_rationalized(c.base)) * c.exp
    elif isinstance(c, sympy.exp):
        angle = -sympy.I * c.args[0]
    elif isinstance(c, sympy.Basic) and c.free_symbols:
        raise GateProblem(f"global phase {c} is not of the form b**angle or exp(i·angle)")
    else:
        return []
    return [(sympy.expand(angle), {"": sympy.Integer(-1)})]


def _pauli_string_phasor_slots(
    pauli: str, coefficient: Any, exponent_neg: Any, exponent_pos: Any
) -> list[Slot]:
    """U = e^{iπ e₊}·P₊ + e^{iπ e₋}·P₋ = exp(−iπ[(e₊+e₋)/2·I + (e₊−e₋)/2·P]), P = ±label."""
    sign = _sign(coefficient)
    identity = "I" * len(pauli)
    pos = {pauli: -_PI / 2 * sign, identity: -_PI / 2}
    neg = {pauli: _PI / 2 * sign, identity: -_PI / 2}
    return [(exponent_pos, pos), (exponent_neg, neg)]


def _pauli_string_phasor_gate_slots(gate: cirq.PauliStringPhasorGate) -> list[Slot]:
    dense = gate.dense_pauli_string
    label = "".join("IXYZ"[int(m)] for m in dense.pauli_mask)
    return _pauli_string_phasor_slots(
        label, dense.coefficient, gate.exponent_neg, gate.exponent_pos
    )


def _sign(coefficient: Any) -> int:
    c = complex(coefficient)
    if abs(c.imag) > 1e-12 or abs(abs(c.real) - 1) > 1e-12:
        raise GateProblem(f"Pauli string coefficient {coefficient} is not ±1")
    return 1 if c.real > 0 else -1


def _controlled_slots(gate: cirq.ControlledGate) -> list[Slot] | None:
    """C-U(θ) = exp(−iθ·Π⊗K) for U = e^{−iθK}: Π projects onto the allowed control values."""
    sub = _type_slots(gate.sub_gate)
    if sub is None:
        return None
    projector: dict[str, Any] = {}
    for values in gate.control_values.expand():
        projector = _plus(projector, _projector(values))
    return [(angle, _kron(projector, terms)) for angle, terms in sub]


_TYPE_TABLE: dict[type, Callable[[Any], list[Slot] | None]] = {
    cirq.XPowGate: _pauli_pow("X"),
    cirq.YPowGate: _pauli_pow("Y"),
    cirq.ZPowGate: _pauli_pow("Z"),
    cirq.XXPowGate: _pauli_pow("XX"),
    cirq.YYPowGate: _pauli_pow("YY"),
    cirq.ZZPowGate: _pauli_pow("ZZ"),
    cirq.HPowGate: _eigen({"X": _PI * sympy.sqrt(2) / 4, "Z": _PI * sympy.sqrt(2) / 4}, -_PI / 2),
    cirq.CZPowGate: _projector_pow(_projector((1, 1))),
    cirq.CXPowGate: _projector_pow(_kron(_projector((1,)), _MINUS)),
    cirq.CCZPowGate: _projector_pow(_projector((1, 1, 1))),
    cirq.CCXPowGate: _projector_pow(_kron(_projector((1, 1)), _MINUS)),
    cirq.SwapPowGate: _eigen({"XX": _PI / 4, "YY": _PI / 4, "ZZ": _PI / 4}, -_PI / 4),
    cirq.ISwapPowGate: _eigen({"XX": -_PI / 4, "YY": -_PI / 4}, 0),
    cirq.FSimGate: _fsim_slots,
    cirq.PhasedXPowGate: _phased_x_slots,
    cirq.PhasedISwapPowGate: _phased_iswap_slots,
    cirq.GlobalPhaseGate: _global_phase_slots,
    cirq.PauliStringPhasorGate: _pauli_string_phasor_gate_slots,
    cirq.ControlledGate: _controlled_slots,
}


def _type_slots(gate: cirq.Gate) -> list[Slot] | None:
    """Slots from the gate-type table (MRO walk), or None when the type is not there."""
    for cls in type(gate).__mro__:
        rule = _TYPE_TABLE.get(cls)
        if rule is not None:
            return rule(gate)
    return None


def _op_slots(op: cirq.Operation) -> list[Slot] | None:
    """Slots of an operation: op-level kinds first, then the gate tables."""
    if isinstance(op, cirq.PauliStringPhasor):
        # Cirq acts as Z on listed qubits outside the Pauli string (Cirq #6612): follow it.
        ps = op.pauli_string
        label = "".join(str(ps[q]) if q in ps else "Z" for q in op.qubits)
        return _pauli_string_phasor_slots(label, ps.coefficient, op.exponent_neg, op.exponent_pos)
    if op.gate is None:
        return None
    return _type_slots(op.gate)


# --------------------------------------------------------------------------- affine angles


@functools.lru_cache(maxsize=65536)
def _affine(angle: Any) -> tuple[tuple[tuple[sympy.Symbol, sympy.Expr], ...], bool]:
    """(symbol, d angle/d symbol) pairs and whether the constant part is non-zero."""
    if not isinstance(angle, sympy.Basic) or not angle.free_symbols:
        return (), _nonzero(angle)
    linear = _linear_form(angle)
    if linear is None:
        linear = _differentiated(angle)
    coefficients, constant = linear
    parts = []
    for s in sorted(coefficients, key=lambda s: s.name):
        d = coefficients[s]
        if complex(d).imag != 0:
            raise GateProblem(f"angle {angle} has a complex coefficient of {s}")
        parts.append((s, _rationalized(d)))
    return tuple(parts), _nonzero(constant)


def _linear_form(angle: sympy.Expr) -> tuple[dict[sympy.Symbol, Any], Any] | None:
    """Fast path: read c₀ + Σ c_k·s_k (numeric c's) off the expression tree, else None."""
    coefficients: dict[sympy.Symbol, Any] = {}
    constant: Any = 0
    for term in angle.args if angle.is_Add else (angle,):
        if term.is_Symbol:
            symbol, c = term, sympy.Integer(1)
        elif term.is_Mul:
            symbolic = [a for a in term.args if a.free_symbols]
            if len(symbolic) != 1 or not symbolic[0].is_Symbol:
                return None
            symbol = symbolic[0]
            numeric = [a for a in term.args if not a.free_symbols]
            c = numeric[0] if len(numeric) == 1 else sympy.Mul(*numeric)
        elif not term.free_symbols:
            constant += complex(term)
            continue
        else:
            return None
        coefficients[symbol] = coefficients[symbol] + c if symbol in coefficients else c
    return coefficients, constant


def _differentiated(angle: sympy.Expr) -> tuple[dict[sympy.Symbol, Any], Any]:
    """General path: coefficients by `sympy.diff`, which must leave no symbol (affinity)."""
    symbols = sorted(angle.free_symbols, key=lambda s: s.name)
    coefficients = {}
    for s in symbols:
        d = sympy.diff(angle, s)
        if d.free_symbols:
            raise GateProblem(f"angle {angle} is not affine in {s}")
        coefficients[s] = d
    return coefficients, angle.subs({s: 0 for s in symbols})


def _nonzero(value: Any) -> bool:
    return bool(abs(complex(value)) > 1e-15)


def _translation(slots: list[Slot]) -> Translation:
    """Per-symbol local generators of a gate, and whether its θ=0 value is not the identity."""
    per_symbol: dict[sympy.Symbol, dict[str, Any]] = {}
    residual = False
    for angle, terms in slots:
        parts, constant = _affine(angle)
        residual = residual or constant
        for symbol, d in parts:
            scaled = {label: d * c for label, c in terms.items() if label.strip("I") and c != 0}
            per_symbol[symbol] = _plus(per_symbol.get(symbol, {}), scaled)
    locals_ = ((s, _local(terms)) for s, terms in per_symbol.items())
    return Translation(tuple((s, loc) for s, loc in locals_ if loc.labels), residual)


def _local(terms: dict[str, Any]) -> LocalGenerator:
    """Drop identity and zero terms; split exact coefficients into factor × rationals."""
    items = [(label, sympy.sympify(c)) for label, c in sorted(terms.items()) if label.strip("I")]
    items = [(label, c) for label, c in items if c != 0]
    if not items:
        return LocalGenerator((), (), None)
    labels = tuple(label for label, _ in items)
    splits = [c.as_coeff_Mul() for _, c in items]
    factor = splits[0][1]
    if all(q.is_Rational and f == factor for q, f in splits) and factor.is_real:
        return LocalGenerator(
            labels, tuple(Fraction(int(q.p), int(q.q)) for q, _ in splits), factor
        )
    return LocalGenerator(labels, tuple(float(c) for _, c in items), None)
