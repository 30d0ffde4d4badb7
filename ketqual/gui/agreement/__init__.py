"""The agreement window: controls, heatmap, pooled figures, exports."""
