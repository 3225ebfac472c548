"""Special token ids, the same in every tokenizer, model and search."""

PAD, UNK, BOS, EOS = 0, 1, 2, 3
