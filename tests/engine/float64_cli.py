"""``python -m tests.engine.float64_cli ARGS``: the ``s2s`` command line with float64
as the default dtype, for runs compared with another computation of the same maths."""

from __future__ import annotations

import sys

import torch

from engine.cli import main

if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    sys.exit(main())
