"""InnoGraph: a knowledge graph of who works with whom in innovation."""

__version__ = "0.1.0"
