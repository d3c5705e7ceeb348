"""A minimal LSP client over a `rig lsp` subprocess (tests and bench)."""
import json
import os
import select
import subprocess
import time


class Client:
    def __init__(self, rig, env=None):
        self.proc = subprocess.Popen([rig, "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env)
        self.buffer = b""
        self.next_id = 0
        self.notifications = []

    def send(self, message):
        message["jsonrpc"] = "2.0"
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def _read(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                length = None
                for line in self.buffer[:end].split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length is not None and len(self.buffer) >= end + 4 + length:
                    body = self.buffer[end + 4:end + 4 + length]
                    self.buffer = self.buffer[end + 4 + length:]
                    return json.loads(body)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("rig lsp sent nothing for %.1f s" % timeout)
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise EOFError("rig lsp closed its output")
                self.buffer += chunk

    def request(self, method, params, timeout=30):
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        while True:
            message = self._read(timeout)
            if message.get("id") == rid:
                if "error" in message:
                    raise RuntimeError("%s failed: %s" % (method, message["error"]))
                return message["result"]
            self.notifications.append(message)

    def wait_diagnostics(self, uri, version=None, timeout=30):
        """The next publishDiagnostics for `uri` (queued ones first); with
        `version`, older ones are skipped."""
        def stale(n):
            return version is not None and \
                n.get("method") == "textDocument/publishDiagnostics" and \
                n["params"]["uri"] == uri and n["params"].get("version", version) < version
        while True:
            self.notifications = [n for n in self.notifications if not stale(n)]
            for i, n in enumerate(self.notifications):
                if n.get("method") == "textDocument/publishDiagnostics" and \
                        n["params"]["uri"] == uri and \
                        (version is None or n["params"].get("version", version) >= version):
                    del self.notifications[i]
                    return n["params"]
            self.notifications.append(self._read(timeout))

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout=30)
