"""Ctrl-C always ends a run as interrupted (issue 15 item 4; review case 37).

The review sent SIGINT 23 times: twice the KeyboardInterrupt was swallowed in a
weakref callback and the run went on to exit 0, once it surfaced as a false
product failure. Here a product swallows the interrupt itself, or turns it into
another error; the run must still end with KeyboardInterrupt (exit 130 in the
CLI) and leave no half-written product.
"""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliantie.cli.main import cli
from alliantie.dossier import load_dossier, run_dossier
from alliantie.dossier.interrupt import interrupt_guard, interrupted
from alliantie.dossier.registry import REGISTRY, ProductContext, product
from alliantie.testing import write_minimal_dossier


def _sigint_swallowed() -> None:
    # what a weakref callback or a __del__ does with it: "Exception ignored"
    with contextlib.suppress(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)


NAMES = ("t.swallows_ctrl_c", "t.ctrl_c_becomes_value_error")


@pytest.fixture()
def interrupted_products():
    """Two products that meet a Ctrl-C, registered for one test only (a full run elsewhere must not see them)."""

    @product(NAMES[0], step=2, inputs=("dem",))
    def _swallows(ctx: ProductContext) -> None:
        (ctx.out_dir / "half.txt").write_text("half")
        _sigint_swallowed()
        (ctx.out_dir / "rest.txt").write_text("rest")

    @product(NAMES[1], step=2, inputs=("dem",))
    def _becomes_error(ctx: ProductContext) -> None:
        (ctx.out_dir / "half.txt").write_text("half")
        _sigint_swallowed()
        raise ValueError("Invalid bounding box")

    yield
    for name in NAMES:
        REGISTRY.pop(name, None)


@pytest.fixture()
def default_sigint():
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("name", NAMES)
def test_a_swallowed_ctrl_c_still_ends_the_run_and_writes_nothing(tmp_path: Path, name: str, default_sigint,
                                                                   interrupted_products) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    with pytest.raises(KeyboardInterrupt):
        run_dossier(load_dossier(toml), products=[name])
    folder = tmp_path / "d" / "products" / name
    assert not folder.exists()
    leftovers = [p.name for p in (tmp_path / "d" / "products").iterdir() if p.name.startswith(".t.")]
    assert leftovers == []


def test_the_cli_exits_130_with_the_nothing_half_written_message(tmp_path: Path, default_sigint,
                                                                 interrupted_products) -> None:
    toml = write_minimal_dossier(tmp_path / "d")
    result = CliRunner().invoke(cli, ["--lang", "en", "run", str(toml), "--product", "t.ctrl_c_becomes_value_error"])
    assert result.exit_code == 130, result.output
    assert "Traceback" not in result.output and "failed" not in result.output


def test_the_guard_restores_the_previous_handler(default_sigint) -> None:
    with interrupt_guard():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not interrupted()
