"""Pauli strings and sums (``paulis``); packed arrays of sums and their brackets (``packed``)."""
