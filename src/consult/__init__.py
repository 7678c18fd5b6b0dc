"""consult — decision support for the TYM consultation model of the Pohjois-Savo welfare area."""

__version__ = "0.1.0"
