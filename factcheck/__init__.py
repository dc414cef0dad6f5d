"""Trace, recompute and judge every figure of a news article about the Jiangmen National High-tech Zone."""

__all__ = ["__version__"]
__version__ = "0.1.0"
