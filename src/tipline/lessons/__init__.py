"""Lessons and self-check quizzes for women and girls, students, parents and older people: the
lessons are data (`data/*.yaml`, checked by `content.py`'s schema), the quiz results anonymous
totals, and a trainer's view makes session codes and prints handouts."""
