"""Developer tools: stall probe, soak, GPU check, OpenNMT-py comparison, GIL probe.

Run from the repository root (``python -m tools.stall_probe``); not part of the wheel.
"""
