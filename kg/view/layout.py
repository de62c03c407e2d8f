"""Precomputed node positions for views too large for live physics.

vis-network's physics does not settle for a couple of thousand nodes in a
browser, while 5,000 nodes with fixed positions draw in about two seconds.
So large views are laid out here, in Python, once per data version (the
caller caches), and drawn with physics off.

Connected components are laid out one by one and packed side by side, so
small islands do not fly away and one giant component keeps the middle.
Small components use networkx's ``spring_layout`` (Fruchterman–Reingold,
dense numpy). Larger ones cannot: networkx's sparse variant needs scipy
(not a dependency) and is O(n²) per iteration anyway, about 10 s for
5,000 nodes. For those, :func:`force_layout`
runs the same Fruchterman–Reingold forces with the all-pairs repulsion
computed on a grid by FFT convolution (a particle-mesh method), which is
O(n + g² log g) per iteration: 20,000 nodes in about a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np  # networkx's own layouts need it too; kg.view imports this module only for large views

__all__ = ["NODE_SPACING", "SPRING_LIMIT", "force_layout", "layout"]

#: Side of the square each node gets on average, in vis-network pixels at zoom 1.
NODE_SPACING = 70.0
#: Largest component laid out by networkx's spring_layout; larger ones get the grid-force layout,
#: which also keeps leaves beside their node (spring_layout throws them to the rim of a hub-heavy graph).
SPRING_LIMIT = 60

Position = tuple[int, int]


def layout(nodes: Sequence[str], edges: Iterable[tuple[str, str, str]], seed: int = 7) -> dict[str, Position]:
    """Positions (vis-network pixels, centred on 0,0) of ``nodes``, deterministic for a given seed."""
    count = len(nodes)
    index = {node: position for position, node in enumerate(nodes)}
    pairs = np.array(
        [(index[s], index[t]) for s, t, _ in edges if s != t and s in index and t in index], dtype=np.int64
    ).reshape(-1, 2)
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)  # undirected, one edge per pair of nodes
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from((int(a), int(b)) for a, b in pairs)
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    label = np.empty(count, dtype=np.int64)
    for number, component in enumerate(components):
        label[list(component)] = number
    by_component = np.argsort(label[pairs[:, 0]], kind="stable") if len(pairs) else np.empty(0, dtype=np.int64)
    bounds = np.searchsorted(label[pairs[by_component, 0]], np.arange(len(components) + 1)) if len(pairs) else None
    local = np.full(count, -1, dtype=np.int64)
    blocks: list[tuple[np.ndarray, np.ndarray]] = []
    singletons: list[int] = []
    for number, component in enumerate(components):
        if len(component) == 1:
            singletons.extend(component)
            continue
        members = np.array(sorted(component), dtype=np.int64)
        local[members] = np.arange(len(members))
        assert bounds is not None  # a component of two or more nodes has edges
        own = local[pairs[by_component[bounds[number] : bounds[number + 1]]]]
        if len(members) <= SPRING_LIMIT:
            sub: nx.Graph[int] = nx.Graph()
            sub.add_nodes_from(range(len(members)))
            sub.add_edges_from((int(a), int(b)) for a, b in own)
            placed = nx.spring_layout(sub, seed=seed, iterations=60)
            coords = np.array([placed[node] for node in range(len(members))], dtype=float)
        else:
            coords = _core_and_leaves(len(members), own, seed)
        blocks.append((members, _normalise(coords)))
    if singletons:
        blocks.append((np.array(singletons, dtype=np.int64), _grid(len(singletons))))
    positions = _pack(blocks)
    return {nodes[node]: (round(float(x)), round(float(y))) for node, (x, y) in positions.items()}


def _core_and_leaves(count: int, pairs: np.ndarray, seed: int) -> np.ndarray:
    """Lay out the nodes of degree ≥ 2 by force, then put each leaf beside its one neighbour.

    Leaves (an outcome of an evidence item, a source quoted once) would
    otherwise be pushed out of a dense core to its rim, far from the node
    they belong to; placing them on a small ring around their neighbour
    keeps them where a reader looks for them, and shrinks the simulation.
    ``pairs`` are the component's edges as local indices 0..count-1.
    """
    degree = np.bincount(pairs.ravel(), minlength=count)
    first_leaf = (degree[pairs[:, 0]] == 1) & (degree[pairs[:, 1]] > 1)
    second_leaf = (degree[pairs[:, 1]] == 1) & (degree[pairs[:, 0]] > 1)
    leaves = np.concatenate([pairs[first_leaf, 0], pairs[second_leaf, 1]])
    parents = np.concatenate([pairs[first_leaf, 1], pairs[second_leaf, 0]])
    is_core = np.ones(count, dtype=bool)
    is_core[leaves] = False
    core = np.flatnonzero(is_core)
    core_index = np.full(count, -1, dtype=np.int64)
    core_index[core] = np.arange(len(core))
    core_pairs = core_index[pairs[is_core[pairs[:, 0]] & is_core[pairs[:, 1]]]]
    coords = np.zeros((count, 2))
    coords[core] = force_layout(len(core), core_pairs[:, 0], core_pairs[:, 1], seed=seed)
    if len(leaves):
        order = np.lexsort((leaves, parents))  # leaves grouped by parent, in id order
        leaves, parents = leaves[order], parents[order]
        group_start = np.searchsorted(parents, parents)  # first position of each leaf's parent group
        turn = np.arange(len(leaves)) - group_start
        size = np.bincount(parents, minlength=count)[parents]
        angle = 2 * math.pi * turn / size + 0.5
        radius = 0.35 + 0.02 * size
        coords[leaves] = coords[parents] + radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return coords


def _normalise(coords: np.ndarray) -> np.ndarray:
    """Scale a component to about NODE_SPACING² of area per node, and move its corner to 0,0.

    Scaling by area, not by edge length: in a densely cross-linked
    component (every evidence item linking a drug, an alteration, a disease
    and a source) edges are long and nodes close, and an edge-length scale
    would pile the nodes on top of each other.
    """
    span = coords.max(axis=0) - coords.min(axis=0)
    longest = float(span.max())
    if longest <= 0:
        return np.zeros_like(coords)
    width, height = (max(float(side), longest / 3) for side in span)  # a chain is not a zero-area box
    scale = NODE_SPACING * math.sqrt(len(coords) / (width * height))
    scaled: np.ndarray = coords * scale
    placed: np.ndarray = scaled - scaled.min(axis=0)
    return placed


def _grid(count: int) -> np.ndarray:
    """Unconnected nodes in a square grid, closer together than connected ones."""
    side = math.ceil(math.sqrt(count))
    spacing = NODE_SPACING * 0.6
    return np.array([((i % side) * spacing, (i // side) * spacing) for i in range(count)], dtype=float)


def _pack(blocks: list[tuple[np.ndarray, np.ndarray]]) -> dict[int, np.ndarray]:
    """Shelf-pack component boxes into rows about as wide as the whole is tall."""
    gap = NODE_SPACING * 1.5
    sizes = [coords.max(axis=0) if len(coords) else (0.0, 0.0) for _, coords in blocks]
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    widest = max((w for w, _ in sizes), default=0.0)
    row_width = max(math.sqrt(area) * 1.2, widest)
    positions: dict[int, np.ndarray] = {}
    x = y = row_height = 0.0
    placed: list[tuple[np.ndarray, np.ndarray, float, float]] = []
    for (members, coords), (width, height) in zip(blocks, sizes, strict=True):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        placed.append((members, coords, x, y))
        x += width + gap
        row_height = max(row_height, height)
    total_width = max((ox + coords.max(axis=0)[0] for _, coords, ox, _ in placed), default=0.0)
    total_height = y + row_height
    for members, coords, ox, oy in placed:
        shifted = coords + np.array([ox - total_width / 2, oy - total_height / 2])
        positions.update(zip(members.tolist(), shifted, strict=True))
    return positions


def force_layout(n: int, sources: np.ndarray, targets: np.ndarray, iterations: int = 120, seed: int = 7) -> np.ndarray:
    """Fruchterman–Reingold layout of one connected graph with grid (FFT) repulsion; returns n×2 coordinates.

    Units: the ideal edge length is 1. Repulsion between every pair
    (k²/d) is computed as the convolution of the node density on a g×g
    grid with the force kernel; nodes sharing a grid cell push away from
    the cell's centroid. Attraction (d²/k) runs along the edges. The step
    is capped by a temperature that cools linearly, as in the original.
    """
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(0.0, side, size=(n, 2))
    cells = int(min(256, max(16, round(side * 1.5))))
    kernel_x, kernel_y = _force_kernels(cells)
    padded = 2 * cells
    temperature = side / 4
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        low = pos.min(axis=0)
        span = float((pos.max(axis=0) - low).max()) or 1.0
        cell_size = span / (cells - 1)
        cell = np.minimum(((pos - low) / cell_size).astype(np.int64), cells - 1)
        flat = cell[:, 0] * cells + cell[:, 1]
        counts = np.bincount(flat, minlength=cells * cells).astype(float)
        density = np.zeros((padded, padded))
        density[:cells, :cells] = counts.reshape(cells, cells)
        spectrum = np.fft.rfft2(density)
        window = (slice(cells - 1, 2 * cells - 1), slice(cells - 1, 2 * cells - 1))
        field_x = np.fft.irfft2(spectrum * kernel_x, s=density.shape)[window]
        field_y = np.fft.irfft2(spectrum * kernel_y, s=density.shape)[window]
        disp = np.stack([field_x.ravel()[flat], field_y.ravel()[flat]], axis=1) / cell_size
        # nodes in the same cell: push away from the cell centroid
        sum_x = np.bincount(flat, weights=pos[:, 0], minlength=cells * cells)
        sum_y = np.bincount(flat, weights=pos[:, 1], minlength=cells * cells)
        centroid = np.stack([sum_x[flat], sum_y[flat]], axis=1) / counts[flat][:, None]
        offset = pos - centroid
        distance2 = np.maximum((offset**2).sum(axis=1), 1e-4)
        disp += offset * ((counts[flat] - 1) / distance2)[:, None]
        # attraction along edges
        delta = pos[targets] - pos[sources]
        pull = delta * np.linalg.norm(delta, axis=1)[:, None]
        disp[:, 0] += np.bincount(sources, weights=pull[:, 0], minlength=n) - np.bincount(
            targets, weights=pull[:, 0], minlength=n
        )
        disp[:, 1] += np.bincount(sources, weights=pull[:, 1], minlength=n) - np.bincount(
            targets, weights=pull[:, 1], minlength=n
        )
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature = max(temperature - cooling, 0.02)
    return pos


def _force_kernels(cells: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the repulsion kernel (dx, dy)/r² on the (2·cells)² padded grid, centred at (cells-1, cells-1)."""
    offsets = np.arange(-(cells - 1), cells, dtype=float)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx**2 + dy**2
    r2[cells - 1, cells - 1] = np.inf  # no force from a node's own cell (handled by the centroid term)
    padded = 2 * cells
    kx = np.zeros((padded, padded))
    ky = np.zeros((padded, padded))
    kx[: 2 * cells - 1, : 2 * cells - 1] = dx / r2
    ky[: 2 * cells - 1, : 2 * cells - 1] = dy / r2
    return np.fft.rfft2(kx), np.fft.rfft2(ky)
