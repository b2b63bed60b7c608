"""Type tests against Cirq without importing it.

``import cirq`` takes seconds (it pulls in matplotlib and pandas), and the Pauli-text paths of
lie_sim never need it. An object can only be a Cirq object if Cirq is already imported, so
:func:`is_cirq` answers from ``sys.modules`` and imports nothing; modules import ``cirq``
inside the functions that build Cirq objects.
"""

from __future__ import annotations

import sys


def is_cirq(value: object, *type_names: str) -> bool:
    """Whether ``value`` is an instance of one of ``cirq.<type_name>`` (no import of cirq).

    Example:
        >>> import cirq
        >>> is_cirq(cirq.X(cirq.LineQubit(0)), "PauliString", "PauliSum")
        True
        >>> is_cirq("X0", "PauliString")
        False
    """
    cirq = sys.modules.get("cirq")
    if cirq is None:
        return False
    return isinstance(value, tuple(getattr(cirq, name) for name in type_names))
