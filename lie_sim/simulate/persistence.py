"""Shippable g-sim surrogates: one ``.npz`` file with JSON metadata.

A paper's classical surrogate can be published and re-run without recomputing the algebra:
the file holds the algebra's basis, the simulation space (strings and generator terms, or the
dense basis and generator matrices), the initial and observable vectors, and metadata (format
version, lie_sim version, qubits, symbols, observables, a hash of the circuit and
observables, and a hash of every array). Loading checks the format, the version and the
array hash, so a damaged file raises :class:`~lie_sim.errors.SurrogateFileError` instead of
giving a wrong number; given the circuit and observables it also checks they are the ones
the file was made for. Files are written to a temporary name and renamed, so an
interrupted save never leaves a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from lie_sim.algebra.closure import DynamicalLieAlgebra
from lie_sim.atomic import atomic_write
from lie_sim.errors import SurrogateFileError
from lie_sim.pauli.packed import PackedSums, concat, pack_float_sum
from lie_sim.pauli.paulis import PauliSum, num_words

if TYPE_CHECKING:
    import cirq

    from lie_sim.simulate.gsim import GSim

FORMAT = "lie_sim.gsim"
FORMAT_VERSION = 1


def save_gsim(sim: GSim, path: str | os.PathLike) -> None:
    """Write ``sim`` to ``path`` (``.npz``); see :meth:`GSim.save`."""
    import cirq

    arrays = _arrays(sim)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lie_sim_version": _version(),
        "num_qubits": len(sim.qubits),
        "qubits": json.loads(cirq.to_json(list(sim.qubits))),
        "parameter_names": list(sim.parameter_names),
        "gate_symbols": list(sim.gate_symbols),
        "observables": [str(o) for o in sim.observables],
        "initial_state": sim.initial_state,
        "exact": sim.algebra.exact,
        "route": sim.route,
        "input_sha256": sim.input_hash,
        "arrays_sha256": _arrays_hash(arrays),
    }
    arrays["metadata"] = np.array(json.dumps(meta))
    with atomic_write(path, "wb") as handle:
        np.savez_compressed(handle, **arrays)


def load_gsim(
    path: str | os.PathLike,
    circuit: cirq.AbstractCircuit | None = None,
    observables: Any = None,
) -> GSim:
    """Read a surrogate written by :meth:`GSim.save`.

    Args:
        path: the file.
        circuit, observables: if given, the file must have been made for exactly these
            (compared by hash).

    Raises:
        SurrogateFileError: not a surrogate file, another format version, damaged arrays,
            or made for another circuit or observables.
    """
    arrays, meta = _read(Path(path))
    if circuit is not None or observables is not None:
        if circuit is None or observables is None:
            raise ValueError("Give both circuit and observables to check a surrogate, or neither")
        expected = input_hash(circuit, observables, meta_qubits(meta))
        if expected != meta["input_sha256"]:
            raise SurrogateFileError(
                f"{path} was made for another circuit or other observables (input hash "
                f"{meta['input_sha256'][:12]}…, these give {expected[:12]}…)"
            )
    return _gsim(arrays, meta)


def input_hash(circuit: cirq.AbstractCircuit, observables: Any, qubits: tuple) -> str:
    """SHA-256 of the circuit's Cirq JSON, the qubit order and the observables' text."""
    import cirq

    from lie_sim.simulate.gsim import _observables

    text = [str(o) for o in _observables(observables, qubits)]
    payload = json.dumps([cirq.to_json(cirq.Circuit(circuit)), cirq.to_json(list(qubits)), text])
    return hashlib.sha256(payload.encode()).hexdigest()


def meta_qubits(meta: dict) -> tuple:
    import cirq

    return tuple(cirq.read_json(json_text=json.dumps(meta["qubits"])))


# ----------------------------------------------------------------------------------------


def _arrays(sim: GSim) -> dict[str, np.ndarray]:
    from lie_sim.simulate.dense_space import DenseSpace

    g = sim.algebra.packed
    out = {
        "algebra_x": g.x,
        "algebra_z": g.z,
        "algebra_coef": _coef_array(g.coef),
        "algebra_owner": g.owner,
        "constants": sim.constants,
        "initial": sim.initial,
        "weights": sim.weights,
    }
    out |= _sums("generators", sim.generators, len(sim.qubits))
    out |= _sums("conjugated", sim.conjugated, len(sim.qubits))
    space = sim.space
    if isinstance(space, DenseSpace):
        basis = space.basis.tocsr()
        out |= {
            "dense_data": basis.data,
            "dense_indices": basis.indices,
            "dense_indptr": basis.indptr,
            "dense_x": space.x,
            "dense_z": space.z,
            "dense_matrices": np.stack([m for _, _, m in space.eig]),
        }
    elif space is not None:
        out |= {
            "string_x": space.strings.x,
            "string_z": space.strings.z,
            "term_x": space.term_x,
            "term_z": space.term_z,
            "gate_terms": np.concatenate([t for t, _ in space.generators]),
            "gate_coefs": np.concatenate([c for _, c in space.generators]),
            "gate_bounds": np.cumsum([0] + [len(t) for t, _ in space.generators]),
        }
    return out


def _coef_array(coef: np.ndarray) -> np.ndarray:
    """Exact integer coefficients too large for int64 are kept as decimal text."""
    return coef.astype(str) if coef.dtype == object else coef


def _sums(name: str, sums: Any, n: int) -> dict[str, np.ndarray]:
    words = num_words(n)
    packed = concat([pack_float_sum(s, words) for s in sums]) if len(sums) else None
    if packed is None:
        empty = np.zeros((0, words), dtype=np.uint64)
        return {
            f"{name}_x": empty,
            f"{name}_z": empty,
            f"{name}_coef": np.zeros(0),
            f"{name}_owner": np.zeros(0, dtype=np.int64),
            f"{name}_count": np.array(0),
        }
    return {
        f"{name}_x": packed.x,
        f"{name}_z": packed.z,
        f"{name}_coef": packed.coef,
        f"{name}_owner": packed.owner,
        f"{name}_count": np.array(len(sums)),
    }


def _arrays_hash(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes() if a.dtype != object else repr(a.tolist()).encode())
    return h.hexdigest()


def _read(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as e:
        raise SurrogateFileError(f"{path} is not a readable g-sim surrogate file ({e})") from e
    if "metadata" not in arrays:
        raise SurrogateFileError(f"{path} has no lie_sim metadata: not a g-sim surrogate file")
    try:
        meta = json.loads(str(arrays.pop("metadata")))
    except json.JSONDecodeError as e:
        raise SurrogateFileError(f"{path}: its metadata is damaged ({e})") from e
    if meta.get("format") != FORMAT:
        raise SurrogateFileError(f"{path} is not a g-sim surrogate (format {meta.get('format')!r})")
    if meta.get("format_version") != FORMAT_VERSION:
        raise SurrogateFileError(
            f"{path} has format version {meta.get('format_version')}; this lie_sim "
            f"({_version()}) reads version {FORMAT_VERSION}: rebuild it with build_gsim"
        )
    if _arrays_hash(arrays) != meta.get("arrays_sha256"):
        raise SurrogateFileError(f"{path} is damaged: its arrays do not match their hash")
    return arrays, meta


def _unpack_sums(arrays: dict, name: str, n: int) -> tuple[PauliSum, ...]:
    count = int(arrays[f"{name}_count"])
    packed = PackedSums(
        arrays[f"{name}_x"],
        arrays[f"{name}_z"],
        arrays[f"{name}_coef"],
        arrays[f"{name}_owner"],
        count,
    )
    return tuple(packed.to_pauli_sums(n)) if count else ()


def _gsim(arrays: dict, meta: dict) -> GSim:
    from lie_sim.simulate.dense_space import DenseSpace
    from lie_sim.simulate.gsim import GSim
    from lie_sim.simulate.string_space import StringSpace

    n = int(meta["num_qubits"])
    qubits = meta_qubits(meta)
    coef = arrays["algebra_coef"]
    if coef.dtype.kind == "U":
        coef = np.array([int(c) for c in coef], dtype=object)
    owner = arrays["algebra_owner"]
    packed = PackedSums(
        arrays["algebra_x"],
        arrays["algebra_z"],
        coef,
        owner,
        int(owner[-1]) + 1 if len(owner) else 0,
    )
    import cirq

    explicit = None if qubits == tuple(cirq.LineQubit.range(n)) else qubits
    generators = _unpack_sums(arrays, "generators", n)
    algebra = DynamicalLieAlgebra(n, generators, bool(meta["exact"]), packed, explicit)
    if meta["route"] == "dense":
        basis = sp.csr_array(
            (arrays["dense_data"], arrays["dense_indices"], arrays["dense_indptr"]),
            shape=(len(arrays["initial"]), len(arrays["dense_x"])),
        )
        space = DenseSpace.from_parts(
            basis, arrays["dense_x"], arrays["dense_z"], list(arrays["dense_matrices"])
        )
    elif "string_x" in arrays:
        bounds = arrays["gate_bounds"].tolist()
        terms, coefs = arrays["gate_terms"], arrays["gate_coefs"]
        per_gen = [
            list(zip(terms[a:b].tolist(), coefs[a:b].tolist(), strict=True))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
        space = StringSpace.from_packed_terms(
            arrays["string_x"], arrays["string_z"], arrays["term_x"], arrays["term_z"], per_gen
        )
    else:
        space = None
    observables = tuple(PauliSum.from_text(t) for t in meta["observables"])
    return GSim(
        algebra=algebra,
        qubits=qubits,
        generators=generators,
        observables=observables,
        constants=arrays["constants"],
        space=space,
        initial=arrays["initial"],
        weights=arrays["weights"],
        gate_symbols=tuple(meta["gate_symbols"]),
        parameter_names=tuple(meta["parameter_names"]),
        initial_state=meta["initial_state"],
        conjugated=_unpack_sums(arrays, "conjugated", n),
        input_hash=meta["input_sha256"],
    )


def _version() -> str:
    import lie_sim

    return lie_sim.__version__
