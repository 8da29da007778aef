"""Point-to-point search on a contraction hierarchy (see :mod:`routing.engine.contraction`).

A query is two upward Dijkstra searches (forward from the origin's seeds on ``up_wf``, backward
from the destination's seeds on ``up_wb``) with stall-on-demand; each side stops once its
smallest key reaches the best meeting cost, which proves optimality. The path's arcs are then
unpacked, shortcut by shortcut, into the original directed edges.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from routing.engine.contraction import (
    PRIORITY_WEIGHTS,
    WITNESS_RELAXATIONS,
    contract,
    initial_arcs,
)
from routing.engine.search import _pop, _push

INF = np.inf


@dataclass
class Hierarchy:
    """One metric's contraction hierarchy. Nodes are numbered by rank here (``rank`` maps a
    graph node to it); arcs are grouped by their lower end."""

    rank: np.ndarray
    up_start: np.ndarray
    up_head: np.ndarray
    up_tail: np.ndarray
    up_wf: np.ndarray  # cost lower -> higher
    up_wb: np.ndarray  # cost higher -> lower
    up_mid: np.ndarray  # (2, arcs) per direction: the shortcut's middle, or -1 - original edge
    build_s: float

    @property
    def arc_count(self) -> int:
        return len(self.up_head)


def build_hierarchy(tails: np.ndarray, heads: np.ndarray, cost: np.ndarray, n: int) -> Hierarchy:
    """The contraction hierarchy of ``cost`` (seconds on a city; minutes on 1M edges)."""
    started = time.perf_counter()
    lo, hi, wf, wb, ef, eb = initial_arcs(tails, heads, cost)
    rank, up_start, head, tail, up_wf, up_wb, middle = contract(
        n, lo, hi, wf, wb, ef, eb, WITNESS_RELAXATIONS, PRIORITY_WEIGHTS
    )
    return Hierarchy(
        rank, up_start, head, tail, up_wf, up_wb, middle, time.perf_counter() - started
    )


@njit(cache=True, nogil=True)
def upward_search(  # type: ignore[no-untyped-def]
    up_start,
    up_head,
    up_wf,
    up_wb,
    src,
    src_cost,
    dst,
    dst_cost,
    ws_dist,
    ws_pred,
    ws_stamp,
    ws_keys,
    ws_nodes,
    query,
):
    """Bidirectional upward search. Returns (cost, meeting node, nodes settled, ok); ``ok`` is
    False only if a heap ran full (the caller then uses another search)."""
    size = np.zeros(2, dtype=np.int64)
    for side in range(2):
        seeds = src if side == 0 else dst
        seed_cost = src_cost if side == 0 else dst_cost
        for i in range(seeds.shape[0]):
            v = seeds[i]
            c = seed_cost[i]
            if not c < INF:
                continue
            if ws_stamp[side, v] == query and ws_dist[side, v] <= c:
                continue
            ws_stamp[side, v] = query
            ws_dist[side, v] = c
            ws_pred[side, v] = -1 - i
            size[side] = _push(ws_keys[side], ws_nodes[side], size[side], c, v)
    best = INF
    meet = -1
    for i in range(src.shape[0]):
        v = src[i]
        if ws_stamp[1, v] == query and ws_stamp[0, v] == query:
            total = ws_dist[0, v] + ws_dist[1, v]
            if total < best:
                best, meet = total, v
    settled = 0
    capacity = ws_keys.shape[1]
    while True:
        live0 = size[0] > 0 and ws_keys[0, 0] < best
        live1 = size[1] > 0 and ws_keys[1, 0] < best
        if not live0 and not live1:
            break
        side = 0 if live0 and (not live1 or ws_keys[0, 0] <= ws_keys[1, 0]) else 1
        other = 1 - side
        key = ws_keys[side, 0]
        u = ws_nodes[side, 0]
        size[side] = _pop(ws_keys[side], ws_nodes[side], size[side])
        if key > ws_dist[side, u]:
            continue  # stale entry
        settled += 1
        if ws_stamp[other, u] == query:
            total = key + ws_dist[other, u]
            if total < best:
                best, meet = total, u
        weights = up_wf if side == 0 else up_wb
        back = up_wb if side == 0 else up_wf
        stalled = False
        for k in range(up_start[u], up_start[u + 1]):
            w = up_head[k]
            if ws_stamp[side, w] == query and ws_dist[side, w] + back[k] < key:
                stalled = True
                break
        if stalled:
            continue
        for k in range(up_start[u], up_start[u + 1]):
            c = weights[k]
            if not c < INF:
                continue
            w = up_head[k]
            dw = key + c
            if ws_stamp[side, w] == query and ws_dist[side, w] <= dw:
                continue
            ws_stamp[side, w] = query
            ws_dist[side, w] = dw
            ws_pred[side, w] = k
            if size[side] >= capacity:
                return INF, -1, settled, False
            size[side] = _push(ws_keys[side], ws_nodes[side], size[side], dw, w)
    return best, meet, settled, True


@njit(cache=True, nogil=True)
def _arc(up_start, up_head, v, w):  # type: ignore[no-untyped-def]
    for k in range(up_start[v], up_start[v + 1]):
        if up_head[k] == w:
            return k
    return -1


@njit(cache=True, nogil=True)
def unpack(up_start, up_head, up_tail, up_mid, ws_pred, meet):  # type: ignore[no-untyped-def]
    """Original edges from the forward seed through ``meet`` to the backward seed, and the
    indices of those seeds."""
    # arcs of the hierarchy path with their direction (0: lower -> higher)
    arcs = []
    dirs = []
    v = meet
    while ws_pred[0, v] >= 0:
        k = ws_pred[0, v]
        arcs.append(k)
        dirs.append(0)
        v = up_tail[k]
    src_index = -1 - ws_pred[0, v]
    arcs.reverse()
    dirs.reverse()
    v = meet
    while ws_pred[1, v] >= 0:
        k = ws_pred[1, v]
        arcs.append(k)
        dirs.append(1)
        v = up_tail[k]
    dst_index = -1 - ws_pred[1, v]
    edges = []
    stack_k = []
    stack_d = []
    for i in range(len(arcs) - 1, -1, -1):
        stack_k.append(arcs[i])
        stack_d.append(dirs[i])
    while len(stack_k) > 0:
        k = stack_k.pop()
        d = stack_d.pop()
        middle = up_mid[d, k]
        if middle < 0:
            edges.append(-1 - middle)
            continue
        lower, higher = up_tail[k], up_head[k]
        a, b = (lower, higher) if d == 0 else (higher, lower)
        # a -> middle is stored at middle (head a, direction higher -> lower); middle -> b at
        # middle (head b, lower -> higher); push the second part first
        stack_k.append(_arc(up_start, up_head, middle, b))
        stack_d.append(0)
        stack_k.append(_arc(up_start, up_head, middle, a))
        stack_d.append(1)
    out = np.empty(len(edges), dtype=np.int64)
    for i in range(len(edges)):
        out[i] = edges[i]
    return out, src_index, dst_index
