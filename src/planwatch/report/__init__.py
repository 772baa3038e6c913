"""Report stage: self-contained HTML pages (index + one per region) from the processed tables."""
