"""Load a `cirq.Circuit` from a command-line spec: a Cirq JSON file, a Python file, or a module.

Specs:

* ``path.json`` (or ``path.json.gz``): the output of ``cirq.to_json`` (or ``to_json_gzip``).
* ``path.py`` or ``path.py:name``: a Python file, run as a fresh module. ``name`` may be a
  circuit or a function returning one (called with no arguments). Without ``name`` the module's
  ``circuit`` (a circuit, or a function) is used, else a function called ``build``.
* ``package.module:name`` (or ``package.module``): an importable module, same rules.
"""

from __future__ import annotations

import importlib
import importlib.util
import pathlib
import sys
from types import ModuleType
from typing import Any

import cirq

from lie_sim.errors import CircuitLoadError

_DEFAULT_NAMES = ("circuit", "build")


def load_circuit(spec: str) -> cirq.Circuit:
    """The circuit named by ``spec`` (see the module docstring for the forms).

    Args:
        spec: ``FILE.json``, ``FILE.py[:NAME]`` or ``package.module[:NAME]``.

    Returns:
        A (mutable) `cirq.Circuit`.

    Raises:
        CircuitLoadError: for a missing file or module, a missing attribute, unreadable JSON,
            or an object that is not a circuit. Errors raised by the user's own code propagate.

    Example:
        >>> import cirq, tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "bell.json"
        >>> a, b = cirq.LineQubit.range(2)
        >>> cirq.to_json(cirq.Circuit(cirq.H(a), cirq.CNOT(a, b)), path)
        >>> len(load_circuit(str(path)))
        2
    """
    location, name = _split(spec)
    if location.endswith((".json", ".json.gz")):
        if name is not None:
            raise CircuitLoadError(f"circuit spec {spec!r}: a JSON file takes no ':{name}'")
        return _as_circuit(_read_json(location), spec)
    if location.endswith(".py"):
        module = _module_from_file(location)
    elif pathlib.Path(location).is_file():
        return _as_circuit(_read_json(location), spec)
    else:
        module = _import(location, spec)
    return _as_circuit(_attribute(module, name, spec), spec)


def _split(spec: str) -> tuple[str, str | None]:
    """``location[:name]``, where name is a Python identifier (so ``C:\\x.py`` stays whole)."""
    location, colon, name = spec.rpartition(":")
    if colon and name.isidentifier():
        return location, name
    return spec, None


def _read_json(path: str) -> Any:
    file = pathlib.Path(path)
    if not file.is_file():
        raise CircuitLoadError(f"circuit file {path!r} does not exist")
    try:
        if path.endswith(".gz"):
            return cirq.read_json_gzip(file)
        return cirq.read_json(file)
    except (ValueError, TypeError, KeyError, OSError) as e:
        raise CircuitLoadError(f"circuit file {path!r} is not Cirq JSON: {e}") from e


def _module_from_file(path: str) -> ModuleType:
    file = pathlib.Path(path)
    if not file.is_file():
        raise CircuitLoadError(f"circuit file {path!r} does not exist")
    name = f"_lie_sim_circuit_{abs(hash(str(file.resolve())))}"
    loader_spec = importlib.util.spec_from_file_location(name, file)
    assert loader_spec is not None and loader_spec.loader is not None
    module = importlib.util.module_from_spec(loader_spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up here
    try:
        loader_spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _import(module_name: str, spec: str) -> ModuleType:
    if not all(part.isidentifier() for part in module_name.split(".")):
        raise CircuitLoadError(
            f"circuit spec {spec!r} is neither an existing file nor a module name; expected "
            "FILE.json, FILE.py[:NAME] or package.module[:NAME]"
        )
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name is not None and module_name.startswith(e.name):
            raise CircuitLoadError(f"circuit spec {spec!r}: no module named {e.name!r}") from e
        raise


def _attribute(module: ModuleType, name: str | None, spec: str) -> Any:
    """The named (or default) attribute; functions are called with no arguments."""
    names = (name,) if name is not None else _DEFAULT_NAMES
    for candidate in names:
        if hasattr(module, candidate):
            value = getattr(module, candidate)
            return value() if callable(value) else value
    wanted = repr(name) if name is not None else "'circuit' or 'build'"
    raise CircuitLoadError(f"circuit spec {spec!r}: {module.__name__!r} has no {wanted}")


def _as_circuit(value: Any, spec: str) -> cirq.Circuit:
    if isinstance(value, cirq.FrozenCircuit):
        return value.unfreeze()
    if isinstance(value, cirq.Circuit):
        return value
    raise CircuitLoadError(
        f"circuit spec {spec!r} gave a {type(value).__name__}, not a cirq.Circuit"
    )
