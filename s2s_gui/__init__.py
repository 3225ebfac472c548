"""Seq2Seq Lab's desktop app (PySide6 + pyqtgraph); reaches the engine through its controller."""

from engine.cpu_threads import prefer_passive_waiting

# The training thread always shares the CPU with the window; every app import passes
# here before torch loads (see prefer_passive_waiting).
prefer_passive_waiting()
