"""Sentence sets for the hidden-states view, in the ``# group`` text format."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# The names are shown translated (context "SentencePresets"); the sentences stay English,
# the language the bundled corpora translate from.
PRESETS: dict[str, str] = {
    QT_TRANSLATE_NOOP(
        "SentencePresets", "Word order (Sutskever et al. 2014, Fig. 2)"
    ): """\
# John is the subject
John admires Mary
John is in love with Mary
John respects Mary
# Mary is the subject
Mary admires John
Mary is in love with John
Mary respects John
""",
    QT_TRANSLATE_NOOP("SentencePresets", "Active and passive voice"): """\
# she gave me a card
She gave me a card in the garden.
In the garden, she gave me a card.
I was given a card by her in the garden.
# I gave her a card
I gave her a card in the garden.
In the garden, I gave her a card.
She was given a card by me in the garden.
""",
    QT_TRANSLATE_NOOP("SentencePresets", "Everyday sentences"): """\
# I ...
I am a student.
I am a teacher.
I am tired.
# you ...
You are a student.
You are a teacher.
You are tired.
# questions
Are you a student?
Is he a teacher?
Are they tired?
""",
    QT_TRANSLATE_NOOP("SentencePresets", "Synthetic tasks: swapped letters"): """\
# a b c d e
a b c d e
a b c e d
b a c d e
# e d c b a
e d c b a
e d c a b
d e c b a
# other letters
m n o p q
q p o n m
""",
    QT_TRANSLATE_NOOP("SentencePresets", "Synthetic tasks: dates"): """\
# March 1999
March 3, 1999
3 March 1999
Mar. 3, 1999
# June 2010
June 21, 2010
21 June 2010
Jun. 21, 2010
""",
}
