"""Adapters that run zhfix inside other data-processing engines (imported on demand)."""
