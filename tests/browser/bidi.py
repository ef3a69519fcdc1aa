"""Firefox for the console's browser tests, driven over WebDriver BiDi (the W3C protocol Firefox speaks natively).

Why not Playwright: Playwright's `firefox` is its own patched build, downloaded from Playwright's servers, which
are not reachable from every machine (the registries are); and its BiDi mode for a stock Firefox
(`channel="moz-firefox"`) sends `emulation.setMediaFeaturesOverride` when it opens a context, which the Firefox the
OS offers (Debian's firefox-esr 153) answers with "unknown command". So this small client speaks BiDi itself to the
OS package `firefox-esr` (`scripts/install-browser.sh` installs it): navigate, evaluate, real pointer clicks
(`input.performActions` on the element), files chosen in a file field (`input.setFiles`), downloads saved to a
folder of the test's (`browser.setDownloadBehavior`, then `browsingContext.downloadEnd` names the saved file), and
the page's script errors (`log.entryAdded`).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect


def firefox_path() -> str:
    found = os.environ.get("FLEETMOCK_FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox")
    assert found, "no firefox: run scripts/install-browser.sh (scripts/test.sh does)"
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Firefox:
    """One headless Firefox with one tab; `errors` collects the page's uncaught script errors."""

    def __init__(self, start_timeout: float = 60.0) -> None:
        self._profile = tempfile.mkdtemp(prefix="fleetmock-firefox-")
        self.download_folder = tempfile.mkdtemp(prefix="fleetmock-firefox-downloads-")
        port = _free_port()
        env = {**os.environ, "MOZ_HEADLESS": "1", "HOME": os.environ.get("HOME", "/root")}
        self._process = subprocess.Popen(
            [firefox_path(), "--headless", "--no-remote", "--profile", self._profile,
             f"--remote-debugging-port={port}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        self._open = ExitStack()  # the WebSocket, entered as websockets asks (a bare connect() is deprecated)
        self._ws = self._connect(port, start_timeout)
        self._next_id = 0
        self.errors: list[str] = []
        self.downloads: list[dict[str, Any]] = []  # browsingContext.downloadEnd events, oldest first
        self.send("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
        self.send("session.subscribe", {"events": ["log.entryAdded", "browsingContext.downloadEnd"]})
        self.send("browser.setDownloadBehavior",
                  {"downloadBehavior": {"type": "allowed", "destinationFolder": self.download_folder}})  # fmt: skip
        self.context = self.send("browsingContext.getTree", {})["contexts"][0]["context"]
        self.send("browsingContext.setViewport", {"context": self.context, "viewport": {"width": 1280, "height": 900}})

    def _connect(self, port: int, timeout: float) -> ClientConnection:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._open.enter_context(
                    connect(f"ws://127.0.0.1:{port}/session", max_size=None, open_timeout=5)
                )
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.close()
                    raise
                time.sleep(0.2)

    def _event(self, message: dict[str, Any]) -> None:
        entry = message.get("params", {})
        if message.get("method") == "browsingContext.downloadEnd":
            self.downloads.append(entry)
        script_error = entry.get("type") == "javascript" and entry.get("level") == "error"
        if message.get("method") == "log.entryAdded" and script_error:
            self.errors.append(str(entry.get("text")))

    def send(self, method: str, params: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        self._next_id += 1
        wanted = self._next_id
        self._ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv(timeout=timeout))
            if message.get("id") != wanted:
                self._event(message)
                continue
            if message.get("type") == "error":
                raise RuntimeError(f"{method}: {message.get('error')}: {message.get('message')}")
            return dict(message["result"])

    def drain(self) -> None:
        """Read the events sent while nothing was asked (script errors that happened since)."""
        try:
            while True:
                self._event(json.loads(self._ws.recv(timeout=0.2)))
        except TimeoutError:
            return

    def goto(self, url: str) -> None:
        self.send("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited), through JSON."""
        wrapped = f"(async () => JSON.stringify(await ({expression})))()"
        result = self.send("script.evaluate", {"expression": wrapped, "target": {"context": self.context},
                                               "awaitPromise": True})  # fmt: skip
        if result.get("type") == "exception":
            raise RuntimeError(f"{expression}: {result['exceptionDetails'].get('text')}")
        value = result["result"].get("value")
        return None if value is None else json.loads(value)

    def wait_for(self, condition: str, timeout: float = 10.0) -> Any:
        """The condition's first truthy value. While the page reloads (the token form reloads it) the old document is
        gone and the new one may have no body yet: an exception then counts as "not yet", and the last one is raised
        if the condition never holds."""
        deadline = time.monotonic() + timeout
        while True:
            failure: RuntimeError | None = None
            try:
                value = self.evaluate(condition)
            except RuntimeError as error:
                value, failure = None, error
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"not true within {timeout} s: {condition}") from failure
            time.sleep(0.05)

    def _node(self, selector: str) -> dict[str, Any]:
        """A reference to the element (BiDi's shared id), once it exists."""
        self.wait_for(f"!!document.querySelector({json.dumps(selector)})")
        found = self.send("script.evaluate", {"expression": f"document.querySelector({json.dumps(selector)})",
                                              "target": {"context": self.context}, "awaitPromise": False,
                                              "resultOwnership": "root"})  # fmt: skip
        return {"sharedId": found["result"]["sharedId"]}

    def click(self, selector: str) -> None:
        """A real pointer click in the middle of the element (as a user's), not a script's `click()`."""
        node = self._node(selector)
        self.send("script.callFunction", {"functionDeclaration": "(e) => e.scrollIntoView({block: 'center'})",
                                          "arguments": [node], "target": {"context": self.context},
                                          "awaitPromise": False})  # fmt: skip
        pointer = [{"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": node}},
                   {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]  # fmt: skip
        mouse = {"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": pointer}
        self.send("input.performActions", {"context": self.context, "actions": [mouse]})

    def fill(self, selector: str, value: str) -> None:
        """Set a field's value as typing would leave it (the `input` and `change` events fire), like Playwright's
        `fill`; date and time fields take their ISO text whatever the browser's locale shows."""
        self.wait_for(f"!!document.querySelector({json.dumps(selector)})")
        self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus();"
            f" e.value = {json.dumps(value)}; e.dispatchEvent(new Event('input', {{bubbles: true}}));"
            " e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )

    def set_files(self, selector: str, *paths: Path) -> None:
        """Choose files in a file field as a user would (its `input` and `change` events fire)."""
        files = [str(path.resolve()) for path in paths]
        self.send("input.setFiles", {"context": self.context, "element": self._node(selector), "files": files})

    def download(self, act: Callable[[], None], timeout: float = 15.0) -> Path:
        """Do `act()` (e.g. click a button that saves a file) and wait until the download it starts ends: the file
        Firefox saved (in `download_folder`, emptied first: a name taken there would be saved as `name(1)`)."""
        for old in Path(self.download_folder).iterdir():
            old.unlink()
        seen = len(self.downloads)
        act()
        deadline = time.monotonic() + timeout
        while len(self.downloads) == seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no download ended within {timeout} s")
            try:
                self._event(json.loads(self._ws.recv(timeout=min(left, 0.5))))
            except TimeoutError:
                continue
        ended = self.downloads[seen]
        if ended.get("status") != "complete":
            raise RuntimeError(f"the download did not complete: {ended}")
        return Path(ended["filepath"])

    def close(self) -> None:
        try:
            if getattr(self, "_open", None) is not None:
                self._open.close()
        finally:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            shutil.rmtree(self._profile, ignore_errors=True)
            shutil.rmtree(self.download_folder, ignore_errors=True)
