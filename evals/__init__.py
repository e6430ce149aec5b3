"""Evaluation suites: `python -m evals <suite> --dataset FILE [--strategy NAME] [--json REPORT]`.

Formats are those of the shared eval-formats.md, so any dataset in them can be measured.
"""
