"""mlgrade: auto-graded numpy exercises on the basics of neural networks."""
__version__ = "0.1.0"
