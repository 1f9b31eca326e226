#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (stdlib only) for the review-form tests.

    browser.py URL SCRIPT   opens URL, waits for the page, evaluates SCRIPT (which may submit a form), waits for the
                            next page if one loads, and prints JSON: {"title", "html", "result"} of the final page.
"""
import base64, json, os, random, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request

def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("chromium is not installed (apt-get install chromium)")

class Socket:
    def __init__(self, url):
        host, rest = url[len("ws://"):].split("/", 1)
        hostname, port = host.split(":")
        self.sock = socket.create_connection((hostname, int(port)), timeout=90)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{rest} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(4096)
        self.buffer = response.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0
        # Events that arrive while a call waits for its answer are kept, not dropped: a fast submit can fire the next
        # page's load event before the answer to the script that submitted it.
        self.events = []

    def send(self, method, params=None):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params or {}}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        n = len(payload)
        header += bytes([0x80 | n]) if n < 126 else (bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        return self.next_id

    def read_exact(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self.read_exact(2)
            n = second & 0x7F
            if n == 126:
                n = struct.unpack(">H", self.read_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self.read_exact(8))[0]
            message += self.read_exact(n)
            if first & 0x80:
                return json.loads(message)

    def call(self, method, params=None):
        wanted = self.send(method, params)
        while True:
            message = self.receive()
            if message.get("id") == wanted:
                return message
            if "method" in message:
                self.events.append(message["method"])

    def wait_event(self, name, timeout=20):
        if name in self.events:
            self.events = self.events[self.events.index(name) + 1:]
            return True
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.receive().get("method") == name:
                return True
        return False

def start_chromium(profile):
    """Starts Chromium on a port it picks itself and returns (process, page target).

    The port is read from DevToolsActivePort rather than chosen here, so two tests never race for one port, and the
    wait is long because a loaded 2-core CI runner can take many seconds to start a browser."""
    log = open(os.path.join(profile, "chromium.log"), "wb")
    process = subprocess.Popen([chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-dev-shm-usage", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                                "about:blank"], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + 90
    port_file = os.path.join(profile, "DevToolsActivePort")
    while time.time() < deadline:
        if process.poll() is not None:
            log.close()
            tail = open(os.path.join(profile, "chromium.log"), "rb").read()[-2000:].decode(errors="replace")
            raise RuntimeError(f"chromium exited with {process.returncode}: {tail}")
        try:
            port = int(open(port_file).read().split()[0])
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2))
            return process, next(t for t in targets if t.get("type") == "page")
        except Exception:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("chromium did not open its DevTools port within 90 s")

def main():
    url, script = sys.argv[1], sys.argv[2]
    profile = tempfile.mkdtemp()
    process = None
    try:
        try:
            process, page = start_chromium(profile)
        except RuntimeError as first:
            # One more try on a fresh profile: a browser that crashes on start under load is the machine, not the form.
            print(f"retrying: {first}", file=sys.stderr)
            shutil.rmtree(profile, ignore_errors=True)
            profile = tempfile.mkdtemp()
            process, page = start_chromium(profile)
        ws = Socket(page["webSocketDebuggerUrl"])
        ws.call("Page.enable")
        ws.call("Page.navigate", {"url": url})
        if not ws.wait_event("Page.loadEventFired", timeout=60):
            sys.exit(f"the page {url} did not load within 60 s")
        result = ws.call("Runtime.evaluate", {"expression": script, "returnByValue": True})
        value = result.get("result", {}).get("result", {}).get("value")
        if isinstance(value, str) and value == "submitted":
            if not ws.wait_event("Page.loadEventFired", timeout=60):
                sys.exit("the page after the submit did not load within 60 s")
        state_script = "JSON.stringify({title: document.title, html: document.documentElement.outerHTML, pwned: document.body.getAttribute('data-pwned')})"
        for _ in range(50):
            final = ws.call("Runtime.evaluate", {"expression": state_script, "returnByValue": True})
            state = final.get("result", {}).get("result", {}).get("value")
            if isinstance(state, str):
                break
            time.sleep(0.2)  # the context was between pages; ask again
        else:
            sys.exit(f"could not read the final page: {final}")
        page_state = json.loads(state)
        page_state["result"] = value
        print(json.dumps(page_state))
    finally:
        if process is not None:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)

if __name__ == "__main__":
    main()
