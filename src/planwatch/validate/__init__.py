"""Validate stage: Great Expectations suites over the stage tables and computed cross-checks."""
