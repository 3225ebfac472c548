"""tune_malloc: freed tensor memory is reused, not handed back and faulted in again."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from engine.malloc import tune_malloc

_PROBE = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    from engine.malloc import tune_malloc

    if sys.argv[1] == "tuned":
        assert tune_malloc()

    def faults_of_a_fresh_20mb_array():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        a = np.ones(20 << 18, dtype=np.float32)  # 20 MB, every page written
        after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        del a
        return after - before

    faults_of_a_fresh_20mb_array()  # the process's first: always new pages
    print(faults_of_a_fresh_20mb_array())  # the same size again, after a free
    """
)


def _page_faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


def test_a_freed_block_is_reused_without_page_faults():
    default, tuned = _page_faults("default"), _page_faults("tuned")
    # glibc by default unmaps the 20 MB block on free and maps fresh pages the next time.
    assert default >= 100
    assert tuned < 20


def test_tuning_twice_is_harmless():
    assert tune_malloc() and tune_malloc()
