"""The search of :func:`lie_sim.algebra.exact_closure.exact_closure` in one compiled call.

Each level of the NumPy search costs a few hundred microseconds of NumPy calls whatever its
size, and small algebras of deep nested brackets (the uniform TFIM ring at n = 20: dimension
59 over 39 levels) are made of nothing but levels. With numba (:mod:`lie_sim.compiled`), this
kernel runs the same search for registers of up to 32 qubits (one packed key ``x << 32 | z``
per string) and int64 coefficients:

* the same candidates in the same order: the generators, then level by level the bracket
  ``[e, g]`` of every new element ``e`` with every independent generator ``g`` (summed from a
  table of each column's brackets with the generator terms, filled on first use), each
  divided by the gcd of its coefficients with its first term positive (a generator's first
  term; a bracket's term at the lowest column);
* the same greedy rank decisions over the search prime ``p`` (a candidate is taken when it is
  independent of the span and of those taken before it), so the same elements up to sign;
* the span in reduced row-echelon form over ``GF(p)``, row by row: sparse rows of float64
  residues (products below ``2^42``, partial sums reduced before ``2^53``), each new row
  cleared from the others at its pivot;
* in front of that, a random linear functional ``w`` (one residue per column, drawn when the
  column appears), with ``s = rows·w`` kept up to date: a candidate ``v`` is in the span
  exactly when its residual is zero, and then ``w·residual = Σ_t v_t·u[col_t] = 0`` with
  ``u = w − s`` at the pivot columns, so a candidate with ``w·residual = 0`` is set aside as
  dependent in ``O(terms)``, without forming its residual. An independent one passes with
  probability ``1/p``; the search would then miss an element, which the check over the
  second prime (:func:`~lie_sim.algebra.exact_closure._check`, run on the result as for the
  NumPy search) detects, and the closure is retried with other primes.

The kernel allocates nothing: its buffers are arguments, never rebound, so its loops carry no
reference counting (numba increments and decrements the count of an array variable that is
reassigned inside a loop, which cost two thirds of the time). When a buffer is full it
returns which one; :func:`search` doubles every buffer and runs the search again from the
start (at most twice the work of the last run). Past :data:`MAX_ENTRIES` entries or
:data:`MAX_RANK` rows, with coefficients whose sums could overflow int64 (``TOO_LARGE``), or
short of memory, it gives up and the caller runs the NumPy search, which handles any size.
"""

from __future__ import annotations

import numpy as np

from lie_sim.algebra import memory
from lie_sim.algebra.exact_closure import AdjointTable, StringColumns, Terms
from lie_sim.compiled import enabled, jit
from lie_sim.pauli.packed import PackedSums, concat

__all__ = ["SearchResult", "search", "usable"]

OK, MAX_DIM, GROW, TOO_LARGE = 0, 1, 2, 3  # TOO_LARGE: int64 sums could overflow
MAX_ENTRIES = 1 << 22  # of any one buffer; beyond, the NumPy search (sparse spans) takes over
# Past this dimension the NumPy search runs instead (its sparse spans scale further; the
# kernel's row-by-row elimination grows with rank × row length). Per-bond Heisenberg on 2
# cores, kernel against NumPy search: n = 7 (dimension 426) 39 ms against 88 ms, n = 8
# (dimension 1,426) 0.49 s against 0.81 s.
MAX_RANK = 2048
_EXACT_FLOAT = 1 << 53
_SMALL_COEF = 1 << 31  # times |u| < 2^22: products below 2^53
_LOW32 = (1 << 32) - 1
_POPCOUNT16 = np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.int64)
# buffer groups the kernel may ask to grow, with their first capacities
_CAPACITIES = {
    "columns": 2048,
    "rows": 256,
    "pool": 1 << 15,
    "basis_terms": 1 << 15,
    "candidate_terms": 1 << 15,
    "candidates": 1024,
    "entries": 1 << 15,
}
_GROUPS = tuple(_CAPACITIES)
# the kernel names a full buffer group by its index in _GROUPS
_COLUMNS, _ROWS, _POOL, _BASIS_TERMS, _CANDIDATE_TERMS, _CANDIDATES, _ENTRIES = range(7)


def usable(gens: list[PackedSums]) -> bool:
    """Whether the kernel can run these generators (numba, ≤ 32 qubits, small integers)."""
    if not enabled() or any(g.x.shape[1] != 1 for g in gens):
        return False
    for g in gens:
        if g.coef.dtype == object or np.abs(g.coef).max() >= 1 << 31:
            return False
        if int(g.x.max()) > _LOW32 or int(g.z.max()) > _LOW32:
            return False
    return True


class SearchResult:
    """The kernel's basis and what the check needs: all generators as :class:`Terms`, the
    indices of the independent ones, the string columns, the pivot columns and the bracket
    table the search filled."""

    def __init__(self, basis, generators, taken, columns, pivots, table):
        self.basis = basis
        self.generators = generators
        self.taken = taken
        self.columns = columns
        self.pivots = pivots
        self.table = table  # (positions, targets, values, slots): see adjoint_table

    def adjoint_table(self, gens: list[PackedSums]) -> AdjointTable:
        """The check's table, holding the brackets the search tabulated (no recomputation)."""
        table = AdjointTable([gens[i] for i in self.taken], self.columns)
        positions, targets, values, slots = self.table
        table.preload(positions[:, 0], positions[:, len(self.taken)], slots, targets, values)
        return table


def _layout(caps: dict[str, int], ngen: int) -> dict[str, tuple]:
    """``name: (shape, dtype, fill)`` of each of the kernel's buffers for capacities ``caps``,
    in its argument order (see :func:`_search` for their roles)."""
    cols, rows = caps["columns"], caps["rows"]
    hcap = 1 << (4 * cols - 1).bit_length()  # at most a quarter full
    i64, u64, f64, flag = np.int64, np.uint64, np.float64, np.bool_
    return {
        "hkeys": (hcap, u64, 0),
        "hvals": (hcap, i64, -1),
        "colkeys": (cols, u64, 0),
        "pivot_row": (cols, i64, -1),
        "w": (cols, i64, 0),
        "where": (cols, i64, -1),
        "acc": (cols, i64, 0),
        "mark": (cols, flag, 0),
        "touched": (cols, i64, 0),
        "nz": (cols, i64, 0),
        "res": (cols, f64, 0),
        "rmark": (cols, flag, 0),
        "rtouched": (cols, i64, 0),
        "tpos": ((cols, ngen + 1), i64, -1),
        "rstart": (rows + 1, i64, 0),
        "rlen": (rows + 1, i64, 0),
        "rroom": (rows + 1, i64, 0),
        "pivots": (rows + 1, i64, 0),
        "s": (rows + 1, i64, 0),
        "estart": (rows + 2, i64, 0),
        "pcol": (caps["pool"], i64, 0),
        "pval": (caps["pool"], f64, 0),
        "ecol": (caps["basis_terms"], i64, 0),
        "ecoef": (caps["basis_terms"], i64, 0),
        "cstart": (caps["candidates"] + 1, i64, 0),
        "cmax": (caps["candidates"] + 1, i64, 0),
        "ccol": (caps["candidate_terms"], i64, 0),
        "ccoef": (caps["candidate_terms"], i64, 0),
        "pkeys": (caps["entries"], u64, 0),
        "ttarget": (caps["entries"], i64, 0),
        "tvalue": (caps["entries"], i64, 0),
        "tslot": (caps["entries"], i64, 0),
        "taken_gens": (ngen, i64, 0),
    }


def _nbytes(layout: dict[str, tuple]) -> int:
    """Bytes of the buffers of ``layout``."""
    return sum(
        int(np.prod(shape)) * np.dtype(dtype).itemsize for shape, dtype, _ in layout.values()
    )


def search(gens: list[PackedSums], prime: int, max_dim: int | None) -> SearchResult | int | None:
    """Run the search over ``GF(prime)``: a :class:`SearchResult`, the dimension reached when
    it exceeds ``max_dim``, or None when the search outgrows the kernel's buffers."""
    packed = concat(gens)
    keys = (packed.x[:, 0] << np.uint64(32)) | packed.z[:, 0]
    starts = np.searchsorted(packed.owner, np.arange(len(gens) + 1)).astype(np.int64)
    coefs = np.asarray(packed.coef, dtype=np.int64)
    caps = dict(_CAPACITIES)
    counts = np.zeros(8, np.int64)
    while True:
        layout = _layout(caps, len(gens))
        available = memory.available_memory()
        if available is not None and _nbytes(layout) > available:
            return None  # the NumPy search runs, and reports how far it got
        buffers = {
            name: np.full(shape, fill, dtype) if fill else np.zeros(shape, dtype)
            for name, (shape, dtype, fill) in layout.items()
        }
        status = jit(_search)(
            keys, coefs, starts, prime, -1 if max_dim is None else max_dim, _POPCOUNT16,
            *buffers.values(), counts,
        )  # fmt: skip
        if status == TOO_LARGE:
            return None
        if status != GROW:
            break
        # every buffer doubles (they fill together), the full one at least to what it needs
        group = _GROUPS[counts[5]]
        caps = {name: 2 * cap for name, cap in caps.items()}
        caps[group] = max(caps[group], int(counts[6]))
        if max(caps.values()) > MAX_ENTRIES or (group == "rows" and caps[group] > MAX_RANK):
            return None
    dim, ncols, nterms, nentries, ntaken = (int(c) for c in counts[:5])
    if status == MAX_DIM:
        return dim
    b = buffers
    colkeys = b["colkeys"][:ncols]
    columns = StringColumns(1, packed_keys=True)
    columns.ids((colkeys >> np.uint64(32))[:, None], (colkeys & np.uint64(_LOW32))[:, None])
    owner = np.repeat(np.arange(dim), np.diff(b["estart"][: dim + 1]))
    basis = Terms(owner, b["ecol"][:nterms].copy(), b["ecoef"][:nterms].copy(), dim)
    generators = Terms(packed.owner, columns.ids(packed.x, packed.z), packed.coef, packed.count)
    table = tuple(b[k][:nentries] for k in ("ttarget", "tvalue", "tslot"))
    return SearchResult(
        basis, generators, b["taken_gens"][:ntaken], columns, b["pivots"][:dim].copy(),
        (b["tpos"][:ncols], *table),
    )  # fmt: skip


def _search(  # noqa: C901 (one compiled function: numba inlines nothing across our modules)
    gkey, gcoef, gstart, prime, max_dim, pop16,
    hkeys, hvals, colkeys, pivot_row, w, where, acc, mark, touched, nz, res, rmark, rtouched,
    tpos, rstart, rlen, rroom, pivots, s, estart, pcol, pval, ecol, ecoef,
    cstart, cmax, ccol, ccoef, pkeys, ttarget, tvalue, tslot, taken_gens, counts,
):  # fmt: skip
    """The compiled search (module docstring); returns a status, and writes ``counts`` =
    ``(dim, columns, basis terms, table entries, independent generators, group to grow,
    capacity it needs)``.

    Strings are packed keys ``x << 32 | z``; columns are numbered in order of first
    appearance (``hkeys``/``hvals``: open addressing, at most a quarter full). The bracket
    table: column ``c``'s entries for independent generator ``j`` are
    ``tpos[c, j]:tpos[c, j + 1]`` of ``(ttarget, tvalue, tslot)``, the target column and
    ``(k − 2)·a_t`` for ``P_c Q_t = i^k R``. The span: sparse RREF rows (row ``r`` is
    ``pcol``/``pval`` entries ``rstart[r]:rstart[r] + rlen[r]``, room ``rroom[r]``), the row
    of each pivot column, ``s = rows·w mod p``. Basis elements: ``ecol``/``ecoef`` entries
    ``estart[k]:estart[k + 1]``; this level's candidates likewise in ``cstart``/``ccol``/``ccoef``.
    """
    p = float(prime)
    inv_p = 1.0 / p
    low16 = np.uint64(0xFFFF)
    s16 = np.uint64(16)
    s32 = np.uint64(32)
    s33 = np.uint64(33)
    low32 = np.uint64(0xFFFFFFFF)
    m1 = np.uint64(0xFF51AFD7ED558CCD)  # splitmix64's finaliser spreads the keys
    m2 = np.uint64(0xC4CEB9FE1A85EC53)
    hmask = np.uint64(hkeys.shape[0] - 1)
    ccap = colkeys.shape[0]
    rcap = rstart.shape[0] - 1
    ngen = gstart.shape[0] - 1
    ncols = 0
    rank = 0
    nterms = 0
    nentries = 0
    ntaken = 0
    taken_terms = 0
    pend = 0
    nw = 0
    seed = np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(prime)
    frontier_lo = 0
    frontier_hi = 0
    level = 0
    gmax = 0
    for t in range(gcoef.shape[0]):
        gmax = max(gmax, abs(gcoef[t]))
    gterms = 0
    for g in range(ngen):
        gterms = max(gterms, gstart[g + 1] - gstart[g])
    while True:
        # ---- 1. this level's candidates (level 0: the generators), exact and normalised
        ncand = 0
        cstart[0] = 0
        if level == 0:
            jobs = ngen
        else:
            jobs = (frontier_hi - frontier_lo) * ntaken
            amax = 0
            for t in range(estart[frontier_lo], estart[frontier_hi]):
                amax = max(amax, abs(ecoef[t]))
            if amax * gmax * gterms >= _EXACT_FLOAT:
                return TOO_LARGE
        for job in range(jobs):
            # the strings this job needs columns for, as table entries past the last one:
            # level 0 the generator's terms; later, the brackets of the element's columns not
            # tabulated yet with every independent generator term
            nk = 0
            if level == 0:
                for t in range(gstart[job], gstart[job + 1]):
                    if nentries + nk == pkeys.shape[0]:
                        counts[5] = _ENTRIES
                        counts[6] = 2 * pkeys.shape[0]
                        return GROW
                    pkeys[nentries + nk] = gkey[t]
                    tvalue[nentries + nk] = gcoef[t]
                    nk += 1
            else:
                e = frontier_lo + job // ntaken
                gi = job % ntaken
                for te in range(estart[e], estart[e + 1]):
                    col = ecol[te]
                    if tpos[col, 0] >= 0:
                        continue
                    key = colkeys[col]
                    x = key >> s32
                    z = key & low32
                    xz = x & z
                    yc = pop16[np.int64(xz & low16)] + pop16[np.int64(xz >> s16)]
                    for gj in range(ntaken):
                        tpos[col, gj] = nentries + nk
                        gsel = taken_gens[gj]
                        for tg in range(gstart[gsel], gstart[gsel + 1]):
                            gk = gkey[tg]
                            gx = gk >> s32
                            gz = gk & low32
                            sym = (x & gz) ^ (z & gx)
                            if (
                                pop16[np.int64(sym & low16)] + pop16[np.int64(sym >> s16)]
                            ) & 1 == 0:
                                continue
                            rx = x ^ gx
                            rz = z ^ gz
                            gxz = gx & gz
                            zgx = z & gx
                            rxz = rx & rz
                            k = yc + pop16[np.int64(gxz & low16)] + pop16[np.int64(gxz >> s16)]
                            k += 2 * (pop16[np.int64(zgx & low16)] + pop16[np.int64(zgx >> s16)])
                            k -= pop16[np.int64(rxz & low16)] + pop16[np.int64(rxz >> s16)]
                            if nentries + nk == pkeys.shape[0]:
                                counts[5] = _ENTRIES
                                counts[6] = 2 * pkeys.shape[0]
                                return GROW
                            pkeys[nentries + nk] = (rx << s32) | rz
                            tvalue[nentries + nk] = ((k & 3) - 2) * gcoef[tg]
                            tslot[nentries + nk] = gj
                            nk += 1
                    tpos[col, ntaken] = nentries + nk
            # their columns (new strings numbered in order)
            for q in range(nentries, nentries + nk):
                key = pkeys[q]
                h = (key ^ (key >> s33)) * m1
                h = (h ^ (h >> s33)) * m2
                slot = np.int64((h ^ (h >> s33)) & hmask)
                while hvals[slot] >= 0 and hkeys[slot] != key:
                    slot = (slot + 1) & hmask
                if hvals[slot] < 0:
                    if ncols == ccap:
                        counts[5] = _COLUMNS
                        counts[6] = 2 * ccap
                        return GROW
                    hkeys[slot] = key
                    hvals[slot] = ncols
                    colkeys[ncols] = key
                    ncols += 1
                ttarget[q] = hvals[slot]
            nt = 0
            if level == 0:  # the generator itself (its entries are scratch, not kept)
                for q in range(nentries, nentries + nk):
                    touched[nt] = ttarget[q]
                    acc[ttarget[q]] = tvalue[q]
                    nt += 1
            else:  # the bracket, summed over the element's terms from the table
                nentries += nk
                for te in range(estart[e], estart[e + 1]):
                    col = ecol[te]
                    a = ecoef[te]
                    for q in range(tpos[col, gi], tpos[col, gi + 1]):
                        c = ttarget[q]
                        if not mark[c]:
                            mark[c] = True
                            acc[c] = 0
                            touched[nt] = c
                            nt += 1
                        acc[c] += tvalue[q] * a
                for i in range(nt):
                    mark[touched[i]] = False
            # the candidate: its non-zero terms divided by their gcd, with a positive first
            # term (generators: their first; brackets: the one at the lowest column)
            divisor = 0
            first = 0
            first_col = -1
            count = 0
            for i in range(nt):
                v = acc[touched[i]]
                if v != 0:
                    if (level == 0 and count == 0) or (
                        level > 0 and (first_col < 0 or touched[i] < first_col)
                    ):
                        first = v
                        first_col = touched[i]
                    count += 1
                    if divisor != 1:  # gcd by Euclid, skipped once it is 1
                        a, b = abs(v), divisor
                        while b:
                            a, b = b, a % b
                        divisor = a
            if count == 0:
                continue
            if first < 0:
                divisor = -divisor
            if ncand + 1 >= cstart.shape[0]:
                counts[5] = _CANDIDATES
                counts[6] = 2 * ncand
                return GROW
            end = cstart[ncand]
            if end + count > ccol.shape[0]:
                counts[5] = _CANDIDATE_TERMS
                counts[6] = 2 * (end + count)
                return GROW
            largest = 0
            for i in range(nt):
                v = acc[touched[i]]
                if v != 0:
                    ccol[end] = touched[i]
                    v = v if divisor == 1 else (-v if divisor == -1 else v // divisor)
                    ccoef[end] = v
                    largest = max(largest, abs(v))
                    end += 1
            cmax[ncand] = largest
            ncand += 1
            cstart[ncand] = end
        # ---- 2. the functional w on the new columns
        for c in range(nw, ncols):
            seed ^= seed << np.uint64(13)
            seed ^= seed >> np.uint64(7)
            seed ^= seed << np.uint64(17)
            w[c] = np.int64(seed >> np.uint64(11)) % (prime - 1) + 1
        nw = ncols
        # ---- 3. each candidate in turn: the functional test, then its residual
        frontier_lo = rank
        for i in range(ncand):
            lo, hi = cstart[i], cstart[i + 1]
            total = 0
            small = cmax[i] < _SMALL_COEF  # then |c·u| < 2^53: no residues needed
            run = 0
            for t in range(lo, hi):
                c = ccol[t]
                u = w[c] if pivot_row[c] < 0 else w[c] - s[pivot_row[c]]
                total += (ccoef[t] if small else ccoef[t] % prime) * u
                run += 1
                if run == 512:  # sums of 512 terms stay below 2^62
                    total %= prime
                    run = 0
            if total % prime == 0:
                continue  # in the span (or, with probability 1/p, missed: see the check)
            # the residual: the candidate minus its coordinates (its values at the pivots)
            # times the RREF rows, over the columns those rows list
            nres = 0
            for t in range(lo, hi):
                c = ccol[t]
                res[c] = float(ccoef[t] % prime)
                rmark[c] = True
                rtouched[nres] = c
                nres += 1
            hits = 0
            for t in range(lo, hi):
                r = pivot_row[ccol[t]]
                if r < 0:
                    continue
                f = float(ccoef[t] % prime)
                for q in range(rstart[r], rstart[r] + rlen[r]):
                    c = pcol[q]
                    if not rmark[c]:
                        rmark[c] = True
                        rtouched[nres] = c
                        nres += 1
                    res[c] -= f * pval[q]
                hits += 1
                if hits == 1024:  # partial sums stay below 2^53
                    hits = 0
                    for k in range(nres):
                        c = rtouched[k]
                        res[c] -= p * np.floor(res[c] * inv_p)
            lead = -1
            for k in range(nres):
                c = rtouched[k]
                v = res[c] - p * np.floor(res[c] * inv_p)
                if v >= p:
                    v -= p
                elif v < 0:
                    v += p
                res[c] = v
                if v != 0.0 and (lead < 0 or c < lead):
                    lead = c
            if lead < 0:  # not reached: a non-zero functional means a non-zero residual
                for k in range(nres):
                    res[rtouched[k]] = 0.0
                    rmark[rtouched[k]] = False
                continue
            inverse = 1  # res[lead]^(p-2) mod p by squaring (Fermat)
            base = np.int64(res[lead])
            power = prime - 2
            while power:
                if power & 1:
                    inverse = inverse * base % prime
                base = base * base % prime
                power >>= 1
            nnz = 0
            s_new = 0
            for k in range(nres):
                c = rtouched[k]
                if res[c] != 0.0:
                    v = np.int64(res[c]) * inverse % prime
                    res[c] = float(v)
                    nz[nnz] = c
                    nnz += 1
                    s_new = (s_new + v * w[c]) % prime
            if rank == rcap:
                counts[5] = _ROWS
                counts[6] = 2 * rcap
                return GROW
            if nterms + hi - lo > ecol.shape[0]:
                counts[5] = _BASIS_TERMS
                counts[6] = 2 * (nterms + hi - lo)
                return GROW
            # the new row: RREF kept by clearing its pivot column from the other rows
            for r in range(rank):
                f = 0.0
                for q in range(rstart[r], rstart[r] + rlen[r]):
                    if pcol[q] == lead:
                        f = pval[q]
                        break
                if f == 0.0:
                    continue
                for q in range(rstart[r], rstart[r] + rlen[r]):
                    where[pcol[q]] = q
                for k in range(nnz):
                    c = nz[k]
                    q = where[c]
                    v = (pval[q] if q >= 0 else 0.0) - f * res[c]
                    v -= p * np.floor(v * inv_p)
                    if v >= p:
                        v -= p
                    elif v < 0:
                        v += p
                    if q >= 0:
                        pval[q] = v
                    elif v != 0.0:
                        if rlen[r] == rroom[r]:  # move the row to the pool's end, more room
                            room = 2 * rroom[r] + 4
                            if pend + room > pcol.shape[0]:
                                counts[5] = _POOL
                                counts[6] = 2 * (pend + room)
                                return GROW
                            for q2 in range(rlen[r]):
                                pcol[pend + q2] = pcol[rstart[r] + q2]
                                pval[pend + q2] = pval[rstart[r] + q2]
                                where[pcol[pend + q2]] = pend + q2
                            rstart[r] = pend
                            rroom[r] = room
                            pend += room
                        q = rstart[r] + rlen[r]
                        pcol[q] = c
                        pval[q] = v
                        where[c] = q
                        rlen[r] += 1
                # drop the entries that became zero (the new pivot column among them)
                kept = rstart[r]
                for q in range(rstart[r], rstart[r] + rlen[r]):
                    where[pcol[q]] = -1
                    if pval[q] != 0.0:
                        pcol[kept] = pcol[q]
                        pval[kept] = pval[q]
                        kept += 1
                rlen[r] = kept - rstart[r]
                s[r] = (s[r] - np.int64(f) * s_new) % prime
            room = nnz + 4
            if pend + room > pcol.shape[0]:
                counts[5] = _POOL
                counts[6] = 2 * (pend + room)
                return GROW
            rstart[rank] = pend
            rroom[rank] = room
            rlen[rank] = nnz
            for k in range(nnz):
                pcol[pend + k] = nz[k]
                pval[pend + k] = res[nz[k]]
            pend += room
            for k in range(nres):
                res[rtouched[k]] = 0.0
                rmark[rtouched[k]] = False
            pivots[rank] = lead
            pivot_row[lead] = rank
            s[rank] = s_new
            # the candidate becomes a basis element (and joins the next frontier)
            for t in range(lo, hi):
                ecol[nterms] = ccol[t]
                ecoef[nterms] = ccoef[t]
                nterms += 1
            estart[rank + 1] = nterms
            rank += 1
            if level == 0:
                taken_gens[ntaken] = i
                ntaken += 1
            if max_dim >= 0 and rank > max_dim:
                counts[0] = rank
                return MAX_DIM
        if rank == frontier_lo:
            break
        frontier_hi = rank
        if level == 0:
            for gj in range(ntaken):
                taken_terms += gstart[taken_gens[gj] + 1] - gstart[taken_gens[gj]]
        level += 1
    counts[0] = rank
    counts[1] = ncols
    counts[2] = nterms
    counts[3] = nentries
    counts[4] = ntaken
    return OK
