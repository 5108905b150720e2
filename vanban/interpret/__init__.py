"""Interpretation: a laid-out document to task records, by small named rules.

Each module is one decision (periods and timing, table rows, assignments);
the vocabulary they read lives in ``vanban/resources``.
"""
