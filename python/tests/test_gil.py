"""The binding edge: the GIL is released while the core runs, Ctrl-C cancels, tqdm shows progress."""

from __future__ import annotations

import _thread
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import EPSG_PLANE_II

import bbcov


@pytest.fixture(scope="module")
def slow_inputs() -> tuple[bbcov.Households, bbcov.FiberNetwork]:
    """A computation of many seconds: 400,000 points among 100,000 long, criss-crossing segments."""
    rng = np.random.default_rng(7)
    n = 400_000
    hh = bbcov.Households.from_arrays(rng.uniform(0, 100_000, n), rng.uniform(0, 100_000, n), crs=EPSG_PLANE_II)
    lines = shapely.linestrings(rng.uniform(0, 100_000, (2_000, 50, 2)))
    return hh, bbcov.FiberNetwork.from_geodataframe(gpd.GeoDataFrame(geometry=lines, crs=EPSG_PLANE_II))


@pytest.fixture
def interrupt_after() -> Iterator[list[threading.Timer]]:
    timers: list[threading.Timer] = []
    yield timers
    for t in timers:
        t.cancel()


def test_ctrl_c_cancels_and_the_gil_is_released(
    slow_inputs: tuple[bbcov.Households, bbcov.FiberNetwork], interrupt_after: list[threading.Timer]
) -> None:
    ticks = 0
    stop = threading.Event()

    def count() -> None:  # runs Python code while the core computes: only possible without the GIL
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    timer = threading.Timer(0.5, _thread.interrupt_main)  # as if Ctrl-C were pressed
    interrupt_after.append(timer)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            bbcov.fiber_coverage(*slow_inputs, progress=False)
    finally:
        stop.set()
        counter.join()
    elapsed = time.monotonic() - start
    assert elapsed < 3.0, f"cancellation took {elapsed:.1f} s"
    assert ticks > 50, f"another Python thread ran only {ticks} times in {elapsed:.1f} s"


def test_an_exception_from_a_signal_handler_cancels(slow_inputs: tuple[bbcov.Households, bbcov.FiberNetwork]) -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("too slow")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with pytest.raises(TimeoutError, match="too slow"):
            bbcov.fiber_coverage(*slow_inputs, progress=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_progress_bar(
    slow_inputs: tuple[bbcov.Households, bbcov.FiberNetwork],
    interrupt_after: list[threading.Timer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    timer = threading.Timer(1.5, _thread.interrupt_main)
    interrupt_after.append(timer)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        bbcov.fiber_coverage(*slow_inputs, progress=True)
    err = capsys.readouterr().err
    assert "fiber coverage" in err and "/400000" in err


def test_no_progress_output_for_quick_or_silent_calls(capsys: pytest.CaptureFixture[str]) -> None:
    hh = bbcov.Households.from_arrays([0.0], [10.0], crs=EPSG_PLANE_II)
    fiber = bbcov.FiberNetwork.from_geodataframe(gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 0)])], crs=EPSG_PLANE_II))
    assert bbcov.fiber_coverage(hh, fiber, progress=True).distance_m[0] == 10.0
    assert bbcov.fiber_coverage(hh, fiber, progress=False).distance_m[0] == 10.0
    assert capsys.readouterr().err == ""
