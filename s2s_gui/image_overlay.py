"""Pure helpers of the caption view: an attention row drawn over a picture (numpy)."""

from __future__ import annotations

import logging
import math

import numpy as np

logger = logging.getLogger(__name__)

MAX_ALPHA = 0.7  # opacity of the most attended cell: the picture stays visible


def grid_shape(cells: int, grid: tuple[int, int] | None) -> tuple[int, int]:
    """The (h, w) grid of ``cells`` attention positions (square when not given)."""
    if grid is not None and grid[0] * grid[1] == cells:
        return int(grid[0]), int(grid[1])
    side = math.isqrt(cells)
    if side * side != cells:
        raise ValueError(f"{cells} attention positions are not a known grid")
    return side, side


def _axis_weights(n_cells: int, n_px: int, smooth: bool) -> np.ndarray:
    """(n_px, n_cells): how much each cell contributes to each pixel along one axis.

    Blocks: pixel ``p`` lies in cell ``floor((p + 0.5) * n_cells / n_px)``. Smooth:
    linear interpolation between cell centres, held flat beyond the outer centres.
    """
    centre = (np.arange(n_px) + 0.5) * n_cells / n_px  # pixel centres, in cell units
    out = np.zeros((n_px, n_cells))
    if not smooth:
        out[np.arange(n_px), np.minimum(centre.astype(int), n_cells - 1)] = 1.0
        return out
    pos = np.clip(centre - 0.5, 0, n_cells - 1)  # position between cell centres
    low = np.floor(pos).astype(int)
    high = np.minimum(low + 1, n_cells - 1)
    frac = pos - low
    out[np.arange(n_px), low] += 1 - frac
    out[np.arange(n_px), high] += frac
    return out


def alpha_map(
    row: np.ndarray, grid: tuple[int, int], size: tuple[int, int], smooth: bool = True
) -> np.ndarray:
    """One attention row spread over a picture, scaled so its largest cell is 1.

    Args:
        row: attention weights over the grid cells, row-major, (h * w,).
        grid: (h, w) of the encoder's feature map.
        size: (width, height) of the picture in pixels.
        smooth: interpolate between cells (else each cell is a flat block).
    Returns:
        (height, width) float64 in [0, 1].
    """
    h, w = grid
    cells = np.asarray(row, dtype=np.float64).reshape(h, w)
    peak = cells.max()
    if peak > 0:
        cells = cells / peak
    ys = _axis_weights(h, size[1], smooth)  # (H, h)
    xs = _axis_weights(w, size[0], smooth)  # (W, w)
    return ys @ cells @ xs.T


def overlay_rgba(
    alpha: np.ndarray, lut: np.ndarray, max_alpha: float = MAX_ALPHA
) -> np.ndarray:
    """A colour-mapped translucent layer: colour and opacity grow with ``alpha``.

    Args:
        alpha: (H, W) in [0, 1], e.g. from :func:`alpha_map`.
        lut: (256, 3) uint8 colour map.
    Returns:
        (H, W, 4) uint8 RGBA, contiguous (for a QImage).
    """
    index = np.clip(np.rint(alpha * 255), 0, 255).astype(np.intp)
    out = np.empty((*alpha.shape, 4), dtype=np.uint8)
    out[..., :3] = lut[index]
    out[..., 3] = np.rint(np.clip(alpha, 0, 1) * max_alpha * 255).astype(np.uint8)
    return np.ascontiguousarray(out)
