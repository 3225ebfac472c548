"""Seq2Seq Lab's data files: installed as the package seq2seq_lab_resources (setup.py).

Nothing to import here; engine/resources.py finds the files.
"""
