"""Seq2Seq Lab's desktop app (PySide6 + pyqtgraph); reaches the engine through its controller."""

import os

# In the app the training thread shares the CPU with the GUI thread (and often with other
# programs). OpenMP threads that spin while they wait collapse then: measured here, 2-thread
# training fell from ~1,600 to ~175 target tokens/s beside one low-priority process, and
# passive waiting kept ~1,600. It must be set before torch loads OpenMP, hence here, where
# every app import passes first; a user's own setting wins. (`s2s` on a dedicated machine
# keeps OpenMP's default, which is faster when nothing else runs.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
