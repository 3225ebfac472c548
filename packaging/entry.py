"""Bundle entry point: the app (s2s_gui.app:main), or the `s2s` command when started as s2s.

The bundle ships one executable, seq2seq-lab, and `s2s` as a link to it, so the command line
costs no second copy of the Python archive.
"""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if Path(sys.argv[0]).stem == "s2s":
        from engine.cli import main
    else:
        from s2s_gui.app import main
    raise SystemExit(main())
