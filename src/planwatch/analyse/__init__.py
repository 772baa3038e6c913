"""Analyse stage: indicator series (with revisions and derived levels) and target attainment."""
