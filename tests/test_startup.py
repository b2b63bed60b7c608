"""Start-up cost: the Pauli-text paths never import Cirq or sympy (seconds to import)."""

import subprocess
import sys

import pytest

_CHECK = "import sys; {code}; print(sorted(m for m in ('cirq', 'sympy') if m in sys.modules))"


def _heavy_modules_after(code: str) -> str:
    script = _CHECK.format(code=code)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "code",
    [
        "import lie_sim",
        "import lie_sim.cli",
        "from lie_sim.cli import main; main(['dla', 'X0 X1', 'Z0', 'Z1'])",
        "from lie_sim.cli import main; main(['classify', 'X0 X1', 'X1 X2', 'Z0', 'Z1', 'Z2',"
        " '--observable', 'Z0', '--state', '+00', '--json'])",
    ],
)
def test_text_paths_import_neither_cirq_nor_sympy(code):
    assert _heavy_modules_after(code) == "[]"


def test_circuit_names_load_cirq_on_first_use():
    assert _heavy_modules_after("import lie_sim; lie_sim.extract_generators") == "['cirq', 'sympy']"
