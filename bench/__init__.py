"""Benchmarks: figures, never assertions. ``python manage.py bench`` runs the page harness
(bench/harness.py); the other scripts here time one part each."""
