"""Servers under test, started as subprocesses: pinned to a core, with a raised file
descriptor limit, measured from /proc (CPU seconds, peak and current memory)."""
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
FD_LIMIT = 20000


def raise_fd_limit(want: int = FD_LIMIT) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    new = min(want, hard) if hard != resource.RLIM_INFINITY else want
    if new > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pin_prefix(cpu: int | None) -> list[str]:
    if cpu is None or not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        return []
    return ["taskset", "-c", str(cpu)]


class Server:
    def __init__(self, name: str, argv: list[str], env: dict, cpu: int | None, log_dir: Path):
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = pin_prefix(cpu) + argv
        self.env = {**os.environ, **env, "PORT": str(self.port), "HOST": "127.0.0.1",
                    "PYTHONUNBUFFERED": "1"}
        self.log_path = log_dir / f"{name}-{self.port}.log"
        self.process = None

    def start(self, timeout: float = 60.0) -> "Server":
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT,
                                        preexec_fn=lambda: raise_fd_limit())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start: {self.log_path.read_text()[-2000:]}")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS   # utime + stime

    def cpu_wait_seconds(self) -> float:
        """Time spent ready to run but waiting for a CPU (another job had it)."""
        return int(Path(f"/proc/{self.process.pid}/schedstat").read_text().split()[1]) / 1e9

    def memory_mb(self, key: str = "VmRSS") -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None:
            self._log.close()


# The servers' Python: `make bench` sets a venv of requirements.txt alone (what `make run`
# installs); run by hand, the generator's own.
SERVER_PYTHON = os.environ.get("BENCH_SERVER_PYTHON") or sys.executable


def python_server(name, script: str, env: dict, cpu, log_dir) -> Server:
    return Server(name, [SERVER_PYTHON, str(ROOT / script)], env, cpu, log_dir)


def node_server(name, env: dict, cpu, log_dir) -> Server:
    return Server(name, ["node", str(ROOT / "bench/baseline-node/server.js")], env, cpu,
                  log_dir)
