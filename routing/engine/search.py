"""Compiled shortest-path kernels (numba): no Python loop ever walks the graph.

The graph is CSR: out-edges of node ``v`` are ``indptr[v]:indptr[v+1]`` with heads ``heads``
(edge index = position); the reverse graph is CSR over in-edges with ``rtails`` and ``redge``
(the forward edge index). Costs are float64 per forward edge, ``inf`` = impassable.

* :func:`bidirectional` — exact point-to-point search: bidirectional A* with ALT (landmark)
  potentials (Goldberg & Harrelson), the symmetric "average" potential so both searches see the
  same reduced costs, early exit when the two frontiers prove optimality, multi-source and
  multi-target seeds (a snapped point sits inside an edge), and per-query ``stamp`` arrays so a
  query touches only the nodes it reaches (no O(N) reset).
* :func:`dijkstra_all` — one-to-all with an optional cost limit (landmarks, reachability areas).
* :func:`bottleneck` — the smallest threshold that connects sources to targets (minimax path),
  for "reachable with max kerb height 6 cm".
"""

from __future__ import annotations

import numpy as np
from numba import njit

INF = np.inf


@njit(cache=True, inline="always")
def _push(keys, nodes, size, key, node):  # type: ignore[no-untyped-def]
    i = size
    keys[i] = key
    nodes[i] = node
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        nodes[parent], nodes[i] = nodes[i], nodes[parent]
        i = parent
    return size + 1


@njit(cache=True, inline="always")
def _pop(keys, nodes, size):  # type: ignore[no-untyped-def]
    """Remove the root; returns the new size (root values must be read before)."""
    size -= 1
    keys[0] = keys[size]
    nodes[0] = nodes[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        child = left
        if left + 1 < size and keys[left + 1] < keys[left]:
            child = left + 1
        if keys[i] <= keys[child]:
            break
        keys[i], keys[child] = keys[child], keys[i]
        nodes[i], nodes[child] = nodes[child], nodes[i]
        i = child
    return size


@njit(cache=True)
def _bound_to(lm_from, lm_to, active, v, t, scale):  # type: ignore[no-untyped-def]
    """Landmark lower bound on dist(v, t)."""
    best = 0.0
    for j in range(active.shape[0]):
        k = active[j]
        a = lm_to[v, k] - lm_to[t, k]  # d(v,L) - d(t,L)
        if np.isfinite(a) and a > best:
            best = a
        b = lm_from[t, k] - lm_from[v, k]  # d(L,t) - d(L,v)
        if np.isfinite(b) and b > best:
            best = b
    return best * scale


@njit(cache=True)
def choose_landmarks(lm_from, lm_to, s, t, count):  # type: ignore[no-untyped-def]
    """The ``count`` landmarks giving the best bound for s -> t (ALT's per-query selection)."""
    k = lm_from.shape[1]
    bounds = np.empty(k)
    for j in range(k):
        a = lm_to[s, j] - lm_to[t, j]
        b = lm_from[t, j] - lm_from[s, j]
        best = -np.inf
        if np.isfinite(a):
            best = a
        if np.isfinite(b) and b > best:
            best = b
        bounds[j] = best
    order = np.argsort(-bounds)
    return order[: min(count, k)].astype(np.int64)


@njit(cache=True)
def _potential(lm_from, lm_to, active, scale, v, src, src_cost, dst, dst_cost):  # type: ignore[no-untyped-def]
    """(pi_t(v) - pi_s(v)) / 2 over the seed sets (0 without landmarks)."""
    if active.shape[0] == 0:
        return 0.0
    to_t = INF
    for j in range(dst.shape[0]):
        value = _bound_to(lm_from, lm_to, active, v, dst[j], scale) + dst_cost[j]
        if value < to_t:
            to_t = value
    from_s = INF
    for i in range(src.shape[0]):
        value = _bound_to(lm_from, lm_to, active, src[i], v, scale) + src_cost[i]
        if value < from_s:
            from_s = value
    return 0.5 * (to_t - from_s)


@njit(cache=True)
def bidirectional(  # type: ignore[no-untyped-def]
    indptr,
    heads,
    tails,
    rindptr,
    rtails,
    redge,
    cost,
    src,
    src_cost,
    dst,
    dst_cost,
    lm_from,
    lm_to,
    active,
    scale,
    ws_dist,
    ws_pred,
    ws_stamp,
    ws_pot,
    ws_pot_stamp,
    ws_keys,
    ws_nodes,
    query,
):
    """Exact bidirectional ALT search between seed sets.

    ``ws_*`` are per-thread workspaces of shape (2, N) (row 0 forward, row 1 backward; ``ws_keys``
    / ``ws_nodes`` are heaps of shape (2, E + seeds)); ``query`` is a fresh positive id. Returns
    (cost, forward edges from a source seed to the meeting node, backward edges from the meeting
    node to a target seed, source seed index, target seed index, nodes settled); cost is inf and
    the edge arrays empty when no path exists.
    """
    size = np.zeros(2, dtype=np.int64)
    for side in range(2):
        seeds = src if side == 0 else dst
        seed_cost = src_cost if side == 0 else dst_cost
        for i in range(seeds.shape[0]):
            v = seeds[i]
            c = seed_cost[i]
            if not np.isfinite(c):
                continue
            if ws_stamp[side, v] == query and ws_dist[side, v] <= c:
                continue
            ws_stamp[side, v] = query
            ws_dist[side, v] = c
            ws_pred[side, v] = -1 - i
            if ws_pot_stamp[v] != query:
                ws_pot_stamp[v] = query
                ws_pot[v] = _potential(
                    lm_from, lm_to, active, scale, v, src, src_cost, dst, dst_cost
                )
            key = c + ws_pot[v] if side == 0 else c - ws_pot[v]
            size[side] = _push(ws_keys[side], ws_nodes[side], size[side], key, v)
    best = INF
    meet = -1
    for i in range(src.shape[0]):
        v = src[i]
        if ws_stamp[1, v] == query:
            total = ws_dist[0, v] + ws_dist[1, v]
            if total < best:
                best = total
                meet = v
    settled = 0
    while size[0] > 0 and size[1] > 0:
        if ws_keys[0, 0] + ws_keys[1, 0] >= best:
            break
        side = 0 if ws_keys[0, 0] <= ws_keys[1, 0] else 1
        key = ws_keys[side, 0]
        u = ws_nodes[side, 0]
        size[side] = _pop(ws_keys[side], ws_nodes[side], size[side])
        du = ws_dist[side, u]
        pu = ws_pot[u] if side == 0 else -ws_pot[u]
        if key > du + pu + 1e-9:
            continue  # stale heap entry
        settled += 1
        if side == 0:
            start, stop = indptr[u], indptr[u + 1]
        else:
            start, stop = rindptr[u], rindptr[u + 1]
        for k in range(start, stop):
            if side == 0:
                e = k
                w = heads[k]
            else:
                e = redge[k]
                w = rtails[k]
            c = cost[e]
            if c == INF:
                continue
            dw = du + c
            if ws_stamp[side, w] == query and ws_dist[side, w] <= dw:
                continue
            ws_stamp[side, w] = query
            ws_dist[side, w] = dw
            ws_pred[side, w] = e
            if ws_pot_stamp[w] != query:
                ws_pot_stamp[w] = query
                ws_pot[w] = _potential(
                    lm_from, lm_to, active, scale, w, src, src_cost, dst, dst_cost
                )
            pw = ws_pot[w] if side == 0 else -ws_pot[w]
            size[side] = _push(ws_keys[side], ws_nodes[side], size[side], dw + pw, w)
            other = 1 - side
            if ws_stamp[other, w] == query:
                total = dw + ws_dist[other, w]
                if total < best:
                    best = total
                    meet = w
    empty = np.empty(0, dtype=np.int64)
    if meet < 0:
        return INF, empty, empty, -1, -1, settled
    # forward half: meet back to a source seed
    n = 0
    v = meet
    while ws_pred[0, v] >= 0:
        n += 1
        v = tails[ws_pred[0, v]]
    src_index = -1 - ws_pred[0, v]
    forward = np.empty(n, dtype=np.int64)
    v = meet
    for i in range(n - 1, -1, -1):
        e = ws_pred[0, v]
        forward[i] = e
        v = tails[e]
    n = 0
    v = meet
    while ws_pred[1, v] >= 0:
        n += 1
        v = heads[ws_pred[1, v]]
    dst_index = -1 - ws_pred[1, v]
    backward = np.empty(n, dtype=np.int64)
    v = meet
    for i in range(n):
        e = ws_pred[1, v]
        backward[i] = e
        v = heads[e]
    return best, forward, backward, src_index, dst_index, settled


@njit(cache=True)
def dijkstra_all(indptr, nbr, eid, cost, sources, source_cost, limit):  # type: ignore[no-untyped-def]
    """One-to-all Dijkstra up to cost ``limit``: (dist, pred edge or -1) per node.

    ``nbr[k]`` / ``eid[k]`` give the neighbour and cost index of CSR slot ``k`` (forward graph:
    heads and 0..E-1; reverse graph: rtails and redge for distances *to* the sources).
    """
    n = indptr.shape[0] - 1
    dist = np.full(n, INF)
    pred = np.full(n, -1, dtype=np.int64)
    keys = np.empty(nbr.shape[0] + sources.shape[0], dtype=np.float64)
    nodes = np.empty(nbr.shape[0] + sources.shape[0], dtype=np.int64)
    size = 0
    for i in range(sources.shape[0]):
        if source_cost[i] < dist[sources[i]]:
            dist[sources[i]] = source_cost[i]
            size = _push(keys, nodes, size, source_cost[i], sources[i])
    while size > 0:
        d = keys[0]
        u = nodes[0]
        size = _pop(keys, nodes, size)
        if d > dist[u]:
            continue
        for k in range(indptr[u], indptr[u + 1]):
            c = cost[eid[k]]
            if c == INF:
                continue
            dw = d + c
            w = nbr[k]
            if dw < dist[w] and dw <= limit:
                dist[w] = dw
                pred[w] = eid[k]
                size = _push(keys, nodes, size, dw, w)
    return dist, pred


@njit(cache=True)
def bottleneck(indptr, heads, need, sources, targets, start):  # type: ignore[no-untyped-def]
    """Smallest value T such that a path from a source to a target uses only edges with
    ``need <= T`` (``need`` inf = never passable); inf when none. Minimax Dijkstra, stops at the
    first target settled; ``start`` is the value at the sources (-inf when minimising a negated
    width). Returns (T, target node reached or -1)."""
    n = indptr.shape[0] - 1
    best = np.full(n, INF)
    is_target = np.zeros(n, dtype=np.bool_)
    for i in range(targets.shape[0]):
        is_target[targets[i]] = True
    keys = np.empty(heads.shape[0] + sources.shape[0], dtype=np.float64)
    nodes = np.empty(heads.shape[0] + sources.shape[0], dtype=np.int64)
    size = 0
    for i in range(sources.shape[0]):
        best[sources[i]] = start
        size = _push(keys, nodes, size, start, sources[i])
    while size > 0:
        d = keys[0]
        u = nodes[0]
        size = _pop(keys, nodes, size)
        if d > best[u]:
            continue
        if is_target[u]:
            return d, u
        for k in range(indptr[u], indptr[u + 1]):
            value = max(d, need[k])
            w = heads[k]
            if value < best[w]:
                best[w] = value
                size = _push(keys, nodes, size, value, w)
    return INF, -1
