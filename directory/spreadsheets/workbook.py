"""XLSX, XLS and ODS workbooks as a grid: parsed in a child process that cannot outgrow its limits.

The child (``workbook_child.py``) sets its own address-space and CPU limits before it parses and
streams the rows back; this side counts them against the limits as they arrive and kills the
child at the wall-time limit. A file claiming a sheet of 1,048,576 × 16,384 cells therefore
costs at most the memory limit and a fraction of a second, never the server.
"""
import json
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

from directory.spreadsheets.grid import Grid, ReadLimits, Tally, UnreadableFile, limit_exceeded

CHILD = Path(__file__).with_name("workbook_child.py")
CHUNK = 64 * 1024


def read_workbook_grid(data: bytes, *, sheet: str | int | None, limits: ReadLimits) -> Grid:
    """One sheet of a workbook (calamine reads XLSX, XLS, XLSB and ODS), its rows counted within ``limits``."""
    options = json.dumps({"sheet": sheet, "memory_bytes": limits.memory_bytes, "seconds": limits.seconds})
    tally = Tally(limits)
    with subprocess.Popen([sys.executable, "-I", str(CHILD), options], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          env=os.environ | {"RUST_BACKTRACE": "0"}) as child:
        try:
            _send(child, data)
            return _receive(child, tally)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()


def _send(child: subprocess.Popen, data: bytes) -> None:
    try:
        child.stdin.write(data)
        child.stdin.close()
    except BrokenPipeError:   # the child died first; its exit status says why
        pass


def _receive(child: subprocess.Popen, tally: Tally) -> Grid:
    grid = Grid(sheet_names=[], sheet="", rows=[])
    longest_line = tally.limits.characters * 6 + CHUNK   # JSON escapes at most six bytes per character
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout=max(tally.seconds_left(), 0)):
                raise limit_exceeded("seconds", tally.limits)
            chunk = os.read(child.stdout.fileno(), CHUNK)
            if not chunk:
                break
            *lines, buffer = (buffer + chunk).split(b"\n")
            if len(buffer) > longest_line:
                raise limit_exceeded("characters", tally.limits)
            for line in lines:
                if _take(json.loads(line), grid, tally):
                    return grid
            tally.check_time()
    raise _failure(child, tally.limits)


def _take(message, grid: Grid, tally: Tally) -> bool:
    """Add one message of the child to ``grid``; True at the end of the sheet."""
    if isinstance(message, list):
        number, cells = message
        grid.rows.append(tally.add(number, cells))
        return False
    if message.get("end"):
        return True
    if "sheet_names" in message:
        grid.sheet_names, grid.sheet = message["sheet_names"], message["sheet"]
        return False
    if message.get("error") == "memory":
        raise limit_exceeded("memory", tally.limits)
    raise UnreadableFile(message["message"], message["message_zh"])


def _failure(child: subprocess.Popen, limits: ReadLimits) -> UnreadableFile:
    """Why the child stopped without finishing the sheet."""
    status = child.wait()
    if status in (-signal.SIGXCPU, -signal.SIGKILL):
        return limit_exceeded("seconds", limits)
    if status == -signal.SIGABRT:   # calamine's allocation failed against the address-space limit
        return limit_exceeded("memory", limits)
    return UnreadableFile(f"The workbook cannot be read (the reader stopped with status {status}).",
                          f"无法读取该表格文件（读取进程以状态 {status} 结束）。")
