"""Pauli-string closure: a pure-Python BFS as truth, so(2n) dimensions, limits and guards."""

import random

import numpy as np
import pytest

from lie_sim.algebra import memory, string_closure
from lie_sim.algebra.closure import lie_closure
from lie_sim.algebra.string_closure import pauli_string_closure
from lie_sim.catalog.architectures import matchgate_chain
from lie_sim.errors import ClosureLimitError
from lie_sim.pauli.paulis import PauliWord, num_words, pack_ints, unpack_ints, word_sort_key

# --- An independent reference: BFS over (x, z) Python-int masks ----------------------------


def reference_closure(words, cap=None):
    """Generators in canonical order, then BFS levels in discovery order (parent position,
    then generator position): the order the packed search promises. None past ``cap``."""
    gens = [(w.x, w.z) for w in sorted(set(words), key=word_sort_key)]
    basis, seen = list(gens), set(gens)
    frontier = list(gens)
    while frontier:
        new = []
        for x, z in frontier:
            for gx, gz in gens:
                if ((x & gz).bit_count() + (z & gx).bit_count()) % 2:
                    c = (x ^ gx, z ^ gz)
                    if c not in seen:
                        seen.add(c)
                        new.append(c)
        basis += new
        frontier = new
        if cap is not None and len(basis) > cap:
            return None
    return basis


def as_pairs(packed):
    return list(zip(unpack_ints(packed.x), unpack_ints(packed.z), strict=True))


def pattern_word(rng, span):
    x = z = 0
    for q in range(span):
        letter = rng.choice("IXYZ") if 0 < q < span - 1 else rng.choice("XYZ")
        x |= (letter in "XY") << q
        z |= (letter in "YZ") << q
    return x, z


def random_generators(seed, n):
    """A few local patterns at random offsets (some across word boundaries), random strings
    of any weight, and repeats."""
    rng = random.Random(seed)
    words = []
    for _ in range(rng.randint(1, 3)):
        span = rng.randint(1, min(n, 4))
        px, pz = pattern_word(rng, span)
        for k in rng.sample(range(n - span + 1), min(n - span + 1, rng.randint(1, 6))):
            words.append(PauliWord(px << k, pz << k))
    for _ in range(rng.randint(0, 2)):
        x, z = rng.getrandbits(n), rng.getrandbits(n)
        if x | z:
            words.append(PauliWord(x, z))
    return words + words[: rng.randint(0, 2)]


def free_fermions(n):
    """{Z_i, X_iX_{i+1}, Y_iY_{i+1}} on an open chain of n qubits."""
    return (
        [PauliWord(0, 1 << i) for i in range(n)]
        + [PauliWord(3 << i, 0) for i in range(n - 1)]
        + [PauliWord(3 << i, 3 << i) for i in range(n - 1)]
    )


# --- Against the reference -----------------------------------------------------------------

CAP = 2000


@pytest.mark.parametrize("n", [1, 2, 3, 7, 63, 64, 65, 127, 130])
@pytest.mark.parametrize("seed", range(6))
def test_random_sets_match_reference(n, seed):
    words = random_generators(1000 * n + seed, n)
    expected = reference_closure(words, cap=CAP)
    if expected is None:
        with pytest.raises(ClosureLimitError):
            pauli_string_closure(words, n, max_dim=CAP)
        return
    basis = pauli_string_closure(words, n, max_dim=CAP)
    assert basis.count == len(expected)
    assert as_pairs(basis) == expected
    assert basis.coef.tolist() == [1] * basis.count
    assert basis.owner.tolist() == list(range(basis.count))


@pytest.mark.parametrize("n, window", [(8, range(8)), (70, range(56, 70)), (130, range(118, 130))])
def test_patterns_crossing_word_boundaries(n, window):
    """Free-fermion patterns of span up to 3 (Z, XX, XZX, YZY: Majorana bilinears, so the
    algebra stays inside so(2·|window|)) at every offset of a window across bit 63/64 or
    127/128, so the shifted tests and the placements straddle words."""
    words = []
    for px, pz in [(0b0, 0b1), (0b11, 0), (0b101, 0b010), (0b101, 0b111)]:
        span = (px | pz).bit_length()
        words += [PauliWord(px << k, pz << k) for k in window if k + span - 1 in window]
    expected = reference_closure(words, cap=5000)
    assert as_pairs(pauli_string_closure(words, n)) == expected


def test_broadcast_path_and_small_steps_give_the_same_basis(monkeypatch):
    """Patterns forced through the broadcast test, and a working set of 16 KiB (many
    frontier chunks and candidate steps a level), give the same basis in the same order."""
    # so(140) plus two Majorana bilinears X Z X (two placements, weight 3: broadcast).
    words = free_fermions(70) + [PauliWord(0b101 << k, 0b010 << k) for k in (3, 62)]
    expected = as_pairs(pauli_string_closure(words, 70))
    assert len(expected) == 70 * 139
    monkeypatch.setattr(string_closure, "PATTERN_MIN_PLACEMENTS", 10**9)
    assert as_pairs(pauli_string_closure(words, 70)) == expected
    monkeypatch.undo()
    monkeypatch.setattr(string_closure, "WORK_BYTES", 1 << 14)
    assert as_pairs(pauli_string_closure(words, 70)) == expected


def test_generators_come_first_in_canonical_order():
    words = [PauliWord.from_text(t) for t in ["ZZ", "XI", "IX", "ZZ", "XI"]]
    basis = pauli_string_closure(words, 2)
    assert [str(s) for s in basis.to_pauli_sums(2)[:3]] == ["X0", "Z0 Z1", "X1"]


# --- Known dimensions ----------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 10, 63, 64, 65, 200])
def test_free_fermions_are_so_2n(n):
    """{Z_i, X_iX_{i+1}, Y_iY_{i+1}} (and {Z_i, X_iX_{i+1}}) on an open chain generate
    so(2n), dimension n(2n − 1): free fermions / matchgates (arXiv 2309.05690, Theorem 1)."""
    assert pauli_string_closure(free_fermions(n), n).count == n * (2 * n - 1)
    assert pauli_string_closure(free_fermions(n)[: 2 * n - 1], n).count == n * (2 * n - 1)


@pytest.mark.slow
def test_free_fermions_at_1024_qubits():
    """so(2048): 2,096,128 strings on 1,024 qubits (arXiv 2309.05690)."""
    basis = pauli_string_closure(free_fermions(1024), 1024)
    assert basis.count == 2_096_128
    keys = np.concatenate([basis.x, basis.z], axis=1)
    assert len(np.unique(keys, axis=0)) == basis.count


def test_lie_closure_takes_the_string_path(monkeypatch):
    """lie_closure of single-string generators is this closure (same basis, same order), and
    its max_dim and memory stops come from here."""
    n = 70
    dla = lie_closure(matchgate_chain(n))
    direct = pauli_string_closure(free_fermions(n), n)
    assert dla.exact and dla.dim == n * (2 * n - 1)
    assert np.array_equal(dla.packed.x, direct.x) and np.array_equal(dla.packed.z, direct.z)
    with pytest.raises(ClosureLimitError, match="max_dim=100"):
        lie_closure(matchgate_chain(n), max_dim=100)
    monkeypatch.setattr(memory, "available_memory", lambda: 100_000)
    with pytest.raises(ClosureLimitError, match="before running out of memory"):
        lie_closure(matchgate_chain(n))


# --- Packed helpers ------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 64, 130, 200])
def test_shift_and_set_bits_match_python_ints(n):
    rng = random.Random(n)
    values = [rng.getrandbits(n) for _ in range(5)] + [0, (1 << n) - 1]
    packed = pack_ints(values, num_words(n))
    for j in [0, 1, 5, 63, 64, 65, 127, 128, 131, n - 1, n, n + 70]:
        assert unpack_ints(string_closure._shift_down(packed, j)) == [v >> j for v in values]
    rows, bits = string_closure._set_bits(packed)
    assert list(zip(rows.tolist(), bits.tolist(), strict=True)) == [
        (r, b) for r, v in enumerate(values) for b in range(n) if v >> b & 1
    ]


# --- Limits and errors ---------------------------------------------------------------------


def test_max_dim():
    words = free_fermions(6)  # dimension 66
    assert pauli_string_closure(words, 6, max_dim=66).count == 66
    with pytest.raises(ClosureLimitError, match="max_dim=65") as info:
        pauli_string_closure(words, 6, max_dim=65)
    assert info.value.dim_reached > 65 and info.value.max_dim == 65
    with pytest.raises(ClosureLimitError, match="max_dim=5"):
        pauli_string_closure(words, 6, max_dim=5)  # 16 generators already exceed it


def test_memory_estimate_stops_before_allocating(monkeypatch):
    monkeypatch.setattr(memory, "available_memory", lambda: 100_000)
    with pytest.raises(
        ClosureLimitError, match=r"stopped at dimension \d+.*estimated [0-9.]+ [MG]iB"
    ):
        pauli_string_closure(free_fermions(100), 100)
    monkeypatch.setattr(memory, "available_memory", lambda: 500_000)
    with pytest.raises(ClosureLimitError, match="out of memory") as info:
        pauli_string_closure(free_fermions(100), 100)
    err = info.value
    assert err.max_dim is None and 297 <= err.dim_reached < 19900
    assert err.estimated_bytes > err.available_bytes
    monkeypatch.setattr(memory, "available_memory", lambda: None)  # unknown: no guard
    assert pauli_string_closure(free_fermions(10), 10).count == 190


def test_available_memory_is_positive():
    available = memory.available_memory()
    assert available is None or available > 0


@pytest.mark.parametrize("n, bits", [(12, 6), (12, 10), (40, 14)])
def test_hash_collisions_are_caught_and_retried(monkeypatch, n, bits):
    """A hash cut to a few bits: the first seed collides, the retry with a real hash finishes
    with the exact basis. With 6 bits the 34 generators of n = 12 collide by pigeonhole; with
    numpy's PCG64 stream, (12, 10) collides on a lookup in a known level and (40, 14) inside one
    step's candidates, so every place a collision is confirmed is exercised."""
    expected = as_pairs(pauli_string_closure(free_fermions(n), n))
    real = string_closure.hash_columns
    weak_seeds = {string_closure._SEEDS[0]}
    seeds_used = []

    def columns(seed, nwords):
        seeds_used.append(seed)
        out = real(seed, nwords)
        return out & np.uint64(2**bits - 1) if seed in weak_seeds else out

    monkeypatch.setattr(string_closure, "hash_columns", columns)
    assert as_pairs(pauli_string_closure(free_fermions(n), n)) == expected
    assert len(expected) == n * (2 * n - 1)
    if bits == 6:
        assert seeds_used == list(string_closure._SEEDS[:2])
        weak_seeds.update(string_closure._SEEDS)
        with pytest.raises(RuntimeError, match="hash seed collided"):
            pauli_string_closure(free_fermions(n), n)


@pytest.mark.parametrize(
    "words, n, match",
    [
        ([], 3, "at least one generator"),
        ([PauliWord(0, 0)], 3, "identity"),
        ([PauliWord(1 << 5, 0)], 3, "outside qubits 0..2"),
    ],
)
def test_bad_input(words, n, match):
    with pytest.raises(ValueError, match=match):
        pauli_string_closure(words, n)
