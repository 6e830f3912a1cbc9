"""compiled_engine and numba_jit (relcoord.optional_dependencies): how the modules with a
compiled kernel (tie statistics, answer counts, the CSV grouping, the Study's score check)
pick numpy's path or numba's."""

from __future__ import annotations

import importlib.util

import pytest

from relcoord.optional_dependencies import MissingDependencyError, compiled_engine, numba_jit

HAS_NUMBA = importlib.util.find_spec("numba") is not None


def test_numpy_is_numpy_s_path_whatever_is_installed() -> None:
    def never() -> str:
        raise AssertionError("the compiled path is not built for engine='numpy'")

    assert compiled_engine("numpy", "numpy", never, purpose="x") == "numpy"


def test_auto_falls_back_to_numpy_and_numba_says_which_extra() -> None:
    assert compiled_engine("auto", "numpy", lambda: None, purpose="x") == "numpy"
    assert compiled_engine("auto", "numpy", lambda: "numba", purpose="x") == "numba"
    assert compiled_engine("numba", "numpy", lambda: "numba", purpose="x") == "numba"
    with pytest.raises(MissingDependencyError, match=r"relcoord\[fast\]") as caught:
        compiled_engine("numba", "numpy", lambda: None, purpose="the compiled sums")
    assert caught.value.purpose == "the compiled sums"


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine must be 'auto', 'numpy' or 'numba'"):
        compiled_engine("cuda", "numpy", lambda: None, purpose="x")


@pytest.mark.skipif(not HAS_NUMBA, reason="numba (the fast extra) is not installed")
def test_numba_jit_compiles_a_function_that_answers_as_python() -> None:
    jit = numba_jit()
    assert jit is not None

    @jit
    def total(n: int) -> int:  # pragma: no cover - compiled
        out = 0
        for i in range(n):
            out += i
        return out

    assert total(10) == 45
