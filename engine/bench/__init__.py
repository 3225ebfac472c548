"""`s2s bench`: training and decoding throughput, each beside a plain reference measured in the same run.

reference.py  ReferenceSeq2Seq, the tutorial-style baseline, and what it implements of a config
data.py       BenchData: synthetic id sequences or a corpus tokenized as training does
flops.py      analytic model FLOPs (count_macs), datasheet and measured matmul peaks
memory.py     MemoryMeter (peak RSS or CUDA allocations) and the largest-batch search
timing.py     a training step as the config trains; throughput and latency timers
load.py       BusyLoad: competing busy processes for --load N, always ended on exit
run.py        run_bench: every figure, ours beside the reference, in one run
table.py      format_table: the figures as a human-readable table
"""

from engine.bench.data import (
    TRAIN_PAIRS,
    BenchData,
    corpus_data,
    synthetic_corpus,
    synthetic_data,
)
from engine.bench.flops import (
    ModelMacs,
    count_macs,
    datasheet_peak_tflops,
    measured_matmul_tflops,
)
from engine.bench.load import BusyLoad
from engine.bench.memory import MemoryMeter, SearchResult, largest_batch, memory_method
from engine.bench.reference import ReferenceSeq2Seq, reference_config
from engine.bench.run import run_bench
from engine.bench.table import format_table
from engine.bench.timing import TrainRate

__all__ = [
    "TRAIN_PAIRS",
    "BenchData",
    "BusyLoad",
    "MemoryMeter",
    "ModelMacs",
    "ReferenceSeq2Seq",
    "SearchResult",
    "TrainRate",
    "corpus_data",
    "count_macs",
    "datasheet_peak_tflops",
    "format_table",
    "largest_batch",
    "measured_matmul_tflops",
    "memory_method",
    "reference_config",
    "run_bench",
    "synthetic_corpus",
    "synthetic_data",
]
