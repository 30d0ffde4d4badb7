"""The codebook pane and its item model."""
