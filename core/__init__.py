"""Pressure Explorer's pure computation core.

Nothing in this package imports streamlit (``tests/test_architecture.py``
enforces it).  Pages, the recipe runner (``python -m core run``) and the
exporters all go through :mod:`core.registry`.
"""
