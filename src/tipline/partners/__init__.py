"""Outsiders tipline works with: partner agencies abroad and organisations (banks, telecoms,
platforms). Users of role `partner` and `platform`, and their tokens, act for one of them."""
