"""Worked examples that use the library as its users do; not part of the installed package."""
