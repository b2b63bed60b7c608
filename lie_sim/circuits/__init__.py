"""From Cirq circuits to generators: extraction, gate tables, Pauli frame, symbol tying, loading."""
