"""The version of Ménage, in a module of its own so that any module can read it
without importing the package facade (``menage/__init__.py``)."""

__version__ = "0.1.0"
