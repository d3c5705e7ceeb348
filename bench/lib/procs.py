"""Processes of a benchmark run: which are left, how much memory they hold.

Shared by bench/soak/run and bench/many/run. `os.wait4`'s ru_maxrss is no
use for rig's own memory: it is the largest of rig and every descendant it
waited for, that is a QEMU's. HighWaterMark samples the kernel's own peak
(VmHWM) of the one process instead.
"""
import os
import pathlib
import threading


def processes_naming(text):
    """(pid, command line) of every live process but this one whose
    command line or environment names `text`."""
    found = []
    needle = text.encode()
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in cmdline or needle in environ:
            found.append((int(entry.name), cmdline.decode(errors="replace")[:120]))
    return found


def status_kib(pid, field):
    """A `field:` line of /proc/PID/status (VmRSS, VmHWM), in KiB; 0 when
    the process is gone."""
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def resident_mib(text):
    """Resident memory of every process naming `text`, in MiB."""
    return sum(status_kib(pid, "VmRSS") for pid, _ in processes_naming(text)) / 1024


class HighWaterMark:
    """Samples, every `interval` seconds until stop(), the peak resident
    memory of process `pid` (its VmHWM) and, with `marker`, the largest sum
    of the resident memory of every process naming it."""

    def __init__(self, pid, marker=None, interval=0.5):
        self.pid, self.marker, self.interval = pid, marker, interval
        self.own_mib = 0.0
        self.all_mib = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            self.own_mib = max(self.own_mib, status_kib(self.pid, "VmHWM") / 1024)
            if self.marker:
                self.all_mib = max(self.all_mib, resident_mib(self.marker))
            if self._done.wait(self.interval):
                return

    def stop(self):
        self._done.set()
        self._thread.join()
        return self
