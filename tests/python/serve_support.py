"""Starts `redes serve` on a free loopback port for a test and stops it afterwards."""
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("REDES_BIN", REPO / "build" / "redes"))


class Served:
    def __init__(self, *args):
        self.proc = subprocess.Popen([str(BINARY), "serve", "--port", "0", *args], cwd=REPO, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"redes serve did not start: {line!r} {self.proc.stderr.read()[-2000:]}")
        self.url = f"http://127.0.0.1:{m.group(1)}"

    def request(self, path, body=None, raw=None, method=None, timeout=60):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method or ("POST" if data is not None else "GET"),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, path, body=None, **kw):
        status, data = self.request(path, body, **kw)
        return status, json.loads(data)

    def run(self, params, limit=300):
        """Submits a run and polls it to the end; returns (final status body, seconds waited)."""
        t0 = time.monotonic()
        status, body = self.json("/api/run", params)
        assert status in (200, 202), body
        while body["status"] in ("queued", "running"):
            assert time.monotonic() - t0 < limit, f"run not finished after {limit} s"
            time.sleep(0.2)
            status, body = self.json(f"/api/jobs/{body['job']}")
            assert status == 200, body
        return body, time.monotonic() - t0

    def rss_kib(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
