"""The one door to the engine: the only part of the app that imports engine runtime.

``jobs`` runs engine functions and generators on worker threads (superqt workers) and
hands their typed results back on the GUI thread; the other modules are adapters of a
few lines around engine functions, sessions and generators.
"""
