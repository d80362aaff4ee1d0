"""Layer 4, the stages: each finds what one kind of damage left in a text
and the edits that undo it (zhfix.runner runs them in order); zhfix.stages.decide
holds the decisions they share."""
