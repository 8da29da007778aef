"""Contraction hierarchy of one metric (compiled): node order, shortcuts and upward arcs.

Nodes are contracted one by one, the least important first (lazy priority queue over edge
difference, contracted neighbours and level, as in Geisberger et al.); contracting ``v`` adds a
shortcut ``u -> w`` for each pair of its remaining neighbours unless a witness search (a
Dijkstra from ``u`` that avoids ``v``, cut after a few hundred settled nodes) finds a path that
is no longer. A cut witness search only adds a superfluous shortcut, never a wrong distance, so
the hierarchy is exact for the costs it was built on.

The result is stored per node, at the lower-ranked end of each arc: ``up_head`` (the higher
node), ``up_wf`` (cost lower -> higher), ``up_wb`` (cost higher -> lower) and, per direction,
the middle node of a shortcut or ``-1 - edge`` for an original directed edge (``up_mf`` /
``up_mb``), which is what path unpacking needs. Blocked edges (cost ``inf``) are left out.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from routing.engine.search import _pop, _push

INF = np.inf
# A witness search stops after relaxing this many arcs (then the shortcut is kept).
WITNESS_RELAXATIONS = 600
# Priority = w0 * (shortcuts - degree) + w1 * contracted neighbours + w2 * level.
PRIORITY_WEIGHTS = np.array([2.0, 1.0, 1.0])


@njit(cache=True, nogil=True)
def initial_arcs(tails, heads, cost):  # type: ignore[no-untyped-def]
    """Undirected arcs ``lo < hi`` with the cheapest edge each way: (lo, hi, w lo->hi, w hi->lo,
    edge lo->hi, edge hi->lo); pairs blocked both ways and loops are dropped."""
    m = tails.shape[0]
    lo = np.minimum(tails, heads)
    hi = np.maximum(tails, heads)
    order = np.argsort(lo * (np.max(hi) + 1) + hi)
    out_lo = np.empty(m, dtype=np.int64)
    out_hi = np.empty(m, dtype=np.int64)
    wf = np.full(m, INF)
    wb = np.full(m, INF)
    ef = np.full(m, -1, dtype=np.int64)
    eb = np.full(m, -1, dtype=np.int64)
    count = -1
    last_lo, last_hi = -1, -1
    for i in range(m):
        e = order[i]
        a, b = lo[e], hi[e]
        if a == b or not cost[e] < INF:
            continue
        if a != last_lo or b != last_hi:
            count += 1
            out_lo[count], out_hi[count] = a, b
            last_lo, last_hi = a, b
        if tails[e] == a:
            if cost[e] < wf[count]:
                wf[count], ef[count] = cost[e], e
        elif cost[e] < wb[count]:
            wb[count], eb[count] = cost[e], e
    count += 1
    return out_lo[:count], out_hi[:count], wf[:count], wb[:count], ef[:count], eb[:count]


@njit(cache=True, nogil=True)
def _grow(arrays_i, arrays_f, needed):  # type: ignore[no-untyped-def]
    size = arrays_i.shape[1]
    while size < needed:
        size *= 2
    bigger_i = np.empty((arrays_i.shape[0], size), dtype=np.int64)
    bigger_f = np.empty((arrays_f.shape[0], size), dtype=np.float64)
    bigger_i[:, : arrays_i.shape[1]] = arrays_i
    bigger_f[:, : arrays_f.shape[1]] = arrays_f
    return bigger_i, bigger_f


@njit(cache=True, nogil=True)
def _witness(  # type: ignore[no-untyped-def]
    source,
    skip,
    limit,
    budget,
    targets,
    start,
    length,
    pi,
    pf,
    contracted,
    dist,
    stamp,
    target,
    query,
    keys,
    nodes,
):
    """Dijkstra from ``source`` avoiding ``skip`` and contracted nodes, until the ``targets``
    nodes marked ``query`` in ``target`` are settled, past cost ``limit`` or after ``budget``
    relaxed arcs."""
    stamp[source] = query
    dist[source] = 0.0
    size = _push(keys, nodes, 0, 0.0, source)
    while size > 0 and budget > 0:
        d = keys[0]
        u = nodes[0]
        size = _pop(keys, nodes, size)
        if d > dist[u]:
            continue
        if d > limit:
            break
        if target[u] == query:
            targets -= 1
            if targets == 0:
                break
        budget -= length[u]
        for k in range(start[u], start[u] + length[u]):
            w = pi[0, k]
            if w == skip or contracted[w]:
                continue
            dw = d + pf[0, k]
            if dw > limit:
                continue
            if stamp[w] != query or dw < dist[w]:
                stamp[w] = query
                dist[w] = dw
                if size >= keys.shape[0]:
                    return
                size = _push(keys, nodes, size, dw, w)


@njit(cache=True, nogil=True)
def _find(start, length, pi, v, w):  # type: ignore[no-untyped-def]
    for k in range(start[v], start[v] + length[v]):
        if pi[0, k] == w:
            return k
    return -1


@njit(cache=True, nogil=True)
def _shortcuts(
    v, budget, start, length, pi, pf, contracted, dist, stamp, target, query, keys, nodes
):  # type: ignore[no-untyped-def]
    """Shortcuts needed to contract ``v``: (slot of u, slot of w, cost u -> w) arrays, and the
    last query id used."""
    deg = length[v]
    out_a = np.empty(deg * deg, dtype=np.int64)
    out_b = np.empty(deg * deg, dtype=np.int64)
    out_c = np.empty(deg * deg)
    count = 0
    base = start[v]
    for i in range(deg):
        into = pf[1, base + i]  # u -> v
        if not into < INF:
            continue
        u = pi[0, base + i]
        query += 1
        limit = -1.0
        targets = 0
        for j in range(deg):
            if j != i and pf[0, base + j] < INF:
                limit = max(limit, into + pf[0, base + j])
                w = pi[0, base + j]
                if target[w] != query:
                    target[w] = query
                    targets += 1
        if targets == 0:
            continue
        _witness(
            u,
            v,
            limit,
            budget,
            targets,
            start,
            length,
            pi,
            pf,
            contracted,
            dist,
            stamp,
            target,
            query,
            keys,
            nodes,
        )
        for j in range(deg):
            if j == i or not pf[0, base + j] < INF:
                continue
            w = pi[0, base + j]
            via = into + pf[0, base + j]
            if stamp[w] == query and dist[w] <= via:
                continue
            out_a[count], out_b[count], out_c[count] = i, j, via
            count += 1
    return out_a[:count], out_b[:count], out_c[:count], query


@njit(cache=True, nogil=True)
def _priority(shortcuts, degree, deleted, level, weights):  # type: ignore[no-untyped-def]
    """Edge difference first, then spreading contraction out and keeping the hierarchy flat."""
    return weights[0] * (shortcuts - degree) + weights[1] * deleted + weights[2] * level


@njit(cache=True, nogil=True)
def contract(n, lo, hi, wf, wb, ef, eb, budget, weights):  # type: ignore[no-untyped-def]
    """Contract all nodes: (rank of each node, then the upward arcs grouped by the rank of their
    lower end: start per rank, head rank, tail rank, cost lower -> higher, cost higher -> lower,
    middles (2, arcs): rank of the middle node per direction, or -1 - original edge)."""
    deg = np.zeros(n, dtype=np.int64)
    for i in range(lo.shape[0]):
        deg[lo[i]] += 1
        deg[hi[i]] += 1
    start = np.zeros(n, dtype=np.int64)
    cap = deg + 2
    start[1:] = np.cumsum(cap)[:-1]
    top = start[n - 1] + cap[n - 1] if n else 0
    length = np.zeros(n, dtype=np.int64)
    # slot arrays: pi[0] neighbour, pi[1] middle out (v -> nbr), pi[2] middle in; pf[0] cost
    # v -> nbr, pf[1] cost nbr -> v
    pi = np.empty((3, max(2 * top, 16)), dtype=np.int64)
    pf = np.empty((2, max(2 * top, 16)), dtype=np.float64)
    for i in range(lo.shape[0]):
        a, b = lo[i], hi[i]
        k = start[a] + length[a]
        pi[0, k], pi[1, k], pi[2, k], pf[0, k], pf[1, k] = b, -1 - ef[i], -1 - eb[i], wf[i], wb[i]
        length[a] += 1
        k = start[b] + length[b]
        pi[0, k], pi[1, k], pi[2, k], pf[0, k], pf[1, k] = a, -1 - eb[i], -1 - ef[i], wb[i], wf[i]
        length[b] += 1
    contracted = np.zeros(n, dtype=np.bool_)
    deleted = np.zeros(n, dtype=np.int64)
    level = np.zeros(n, dtype=np.int64)
    dist = np.zeros(n)
    stamp = np.zeros(n, dtype=np.int64)
    target = np.zeros(n, dtype=np.int64)
    query = 0
    wkeys = np.empty(1 << 16)
    wnodes = np.empty(1 << 16, dtype=np.int64)
    prio = np.zeros(n)
    counted = np.zeros(n, dtype=np.int64)  # shortcuts found when a node's priority was computed
    hkeys = np.empty(4 * n + 16)
    hnodes = np.empty(4 * n + 16, dtype=np.int64)
    hsize = 0
    for v in range(n):
        a, _b, _c, query = _shortcuts(
            v, budget, start, length, pi, pf, contracted, dist, stamp, target, query, wkeys, wnodes
        )
        counted[v] = a.shape[0]
        prio[v] = _priority(a.shape[0], length[v], deleted[v], level[v], weights)
        hsize = _push(hkeys, hnodes, hsize, prio[v], v)
    rank = np.full(n, -1, dtype=np.int64)
    up_count = np.zeros(n + 1, dtype=np.int64)
    out_cap = max(2 * lo.shape[0], 16)
    up_i = np.empty((4, out_cap), dtype=np.int64)  # head, middle f, middle b, tail
    up_f = np.empty((2, out_cap), dtype=np.float64)
    out = 0
    next_rank = 0
    while hsize > 0:
        key = hkeys[0]
        v = hnodes[0]
        hsize = _pop(hkeys, hnodes, hsize)
        if contracted[v] or key != prio[v]:
            continue
        a, b, c, query = _shortcuts(
            v, budget, start, length, pi, pf, contracted, dist, stamp, target, query, wkeys, wnodes
        )
        counted[v] = a.shape[0]
        fresh = _priority(a.shape[0], length[v], deleted[v], level[v], weights)
        if fresh > key and hsize > 0 and fresh > hkeys[0]:
            prio[v] = fresh  # lazy update: v became more important than the next one
            hsize = _push(hkeys, hnodes, hsize, fresh, v)
            continue
        base = start[v]
        # record v's arcs (all its remaining neighbours rank higher)
        if out + length[v] > up_i.shape[1]:
            up_i, up_f = _grow(up_i, up_f, out + length[v])
        for k in range(base, base + length[v]):
            up_i[0, out], up_i[1, out], up_i[2, out] = pi[0, k], pi[1, k], pi[2, k]
            up_i[3, out] = v
            up_f[0, out], up_f[1, out] = pf[0, k], pf[1, k]
            out += 1
        up_count[next_rank + 1] = length[v]
        rank[v] = next_rank
        next_rank += 1
        contracted[v] = True
        # add shortcuts u -> w through v
        for s in range(a.shape[0]):
            u, w = pi[0, base + a[s]], pi[0, base + b[s]]
            for x, y, side in ((u, w, 0), (w, u, 1)):
                k = _find(start, length, pi, x, y)
                if k < 0:
                    if length[x] == cap[x]:
                        if top + 2 * cap[x] > pi.shape[1]:
                            pi, pf = _grow(pi, pf, top + 2 * cap[x])
                        pi[:, top : top + length[x]] = pi[:, start[x] : start[x] + length[x]]
                        pf[:, top : top + length[x]] = pf[:, start[x] : start[x] + length[x]]
                        start[x] = top
                        cap[x] *= 2
                        top += cap[x]
                    k = start[x] + length[x]
                    length[x] += 1
                    pi[0, k] = y
                    pi[1, k], pi[2, k] = 0, 0
                    pf[0, k], pf[1, k] = INF, INF
                # side 0: x = u, slot direction out (u -> w); side 1: x = w, direction in
                if c[s] < pf[side, k]:
                    pf[side, k] = c[s]
                    pi[1 + side, k] = v
        # drop v from its neighbours' lists and update their priorities
        for k in range(base, base + length[v]):
            w = pi[0, k]
            j = _find(start, length, pi, w, v)
            last = start[w] + length[w] - 1
            pi[:, j] = pi[:, last]
            pf[:, j] = pf[:, last]
            length[w] -= 1
            deleted[w] += 1
            # a cheap update (the shortcuts are counted again when w comes to the top)
            level[w] = max(level[w], level[v] + 1)
            prio[w] = _priority(counted[w], length[w], deleted[w], level[w], weights)
            if hsize >= hkeys.shape[0]:
                hkeys2 = np.empty(2 * hkeys.shape[0])
                hnodes2 = np.empty(2 * hkeys.shape[0], dtype=np.int64)
                hkeys2[:hsize] = hkeys[:hsize]
                hnodes2[:hsize] = hnodes[:hsize]
                hkeys, hnodes = hkeys2, hnodes2
            hsize = _push(hkeys, hnodes, hsize, prio[w], w)
    # arcs were written in contraction order, i.e. grouped by rank: number nodes by rank too
    # (the top of the hierarchy, where every query goes, then sits together in memory)
    up_start = np.zeros(n + 1, dtype=np.int64)
    up_start[1:] = np.cumsum(up_count[1:])
    head = np.empty(out, dtype=np.int32)
    tail = np.empty(out, dtype=np.int32)
    middle = np.empty((2, out), dtype=np.int32)
    for k in range(out):
        head[k] = rank[up_i[0, k]]
        tail[k] = rank[up_i[3, k]]
        for side in range(2):
            m = up_i[1 + side, k]
            middle[side, k] = rank[m] if m >= 0 else m
    return rank, up_start, head, tail, up_f[0, :out].copy(), up_f[1, :out].copy(), middle
