"""Parameterized Cirq circuits from the literature, for closure, g-sim tests and benchmarks.

One module per kind of circuit: :mod:`.chains` (spin-chain ansätze), :mod:`.qaoa`,
:mod:`.layered` (blocks, QCNN, tensor-network shapes), :mod:`.symmetric`; this package
only re-exports their builders, which the catalog files name.

Where :mod:`lie_sim.catalog.architectures` gives generator families as Pauli sums, these
builders give the circuits themselves, so that the extraction (fixed gates pushed through,
shared symbols tied) and the simulators can be run on what a user would write.

Conventions shared by every builder:

* Qubits are ``cirq.LineQubit.range(n)``; graph node ``i`` is ``cirq.LineQubit(i)``.
* Each symbol is the gate's own parameter (the exponent of a ``*PowGate``, the angle of
  ``cirq.rx``/``ry``/``rz``), so every angle is affine in its symbol. Names are
  ``{role}_{layer}`` for a symbol shared across a layer and ``{role}_{layer}_{site}`` for a
  symbol of one gate; layers count from 0 and a bond ``(i, i + 1)`` (or the closing bond
  ``(n − 1, 0)``) has site ``i``.
* Every builder checks ``n >= 2`` and ``layers >= 1`` and raises ``ValueError`` otherwise.
* On a ring of two qubits the closing bond ``(1, 0)`` is the bond ``(0, 1)`` again, so
  ``periodic=True`` adds it only for ``n >= 3`` (as :func:`lie_sim.catalog.architectures.tfim`
  does).
"""

from lie_sim.catalog.circuits.chains import (
    heisenberg_brickwork,
    matchgate_brickwork,
    tfim_hva,
    xx_z_lattice,
    xxz_hva,
    xy_mixer,
)
from lie_sim.catalog.circuits.layered import (
    alternating_layered,
    clifford_layered,
    hardware_efficient,
    identity_blocks,
    mps_staircase,
    qcnn,
    ttn_tree,
)
from lie_sim.catalog.circuits.qaoa import (
    qaoa_complete,
    qaoa_erdos_renyi,
    qaoa_maxcut,
    qaoa_path,
    qaoa_ring,
)
from lie_sim.catalog.circuits.symmetric import (
    rbs_pyramid,
    sn_equivariant,
)

__all__ = [
    "alternating_layered",
    "clifford_layered",
    "hardware_efficient",
    "heisenberg_brickwork",
    "identity_blocks",
    "matchgate_brickwork",
    "mps_staircase",
    "qaoa_complete",
    "qaoa_erdos_renyi",
    "qaoa_maxcut",
    "qaoa_path",
    "qaoa_ring",
    "qcnn",
    "rbs_pyramid",
    "sn_equivariant",
    "tfim_hva",
    "ttn_tree",
    "xx_z_lattice",
    "xxz_hva",
    "xy_mixer",
]
