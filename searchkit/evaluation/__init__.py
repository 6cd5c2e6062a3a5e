"""Measuring ranking quality on judged queries: metrics and the evaluation run."""
