"""Scenario 8: what goes wrong around a replay under gdb. No gdb, a port already taken,
a gdb killed mid-session, a client that hangs up, a flood of malformed packets, and
commands that fail inside gdb: each must end in a clear message or a session that goes
on, and never in a crash or a process left behind."""
import os
import random
import re
import select
import signal
import socket
import subprocess
import threading
import time

from rgdb_lib import GdbScript, no_core_dumps, check, clean_env, line_of, run, run_main

TIMEOUT_S = 60


def record_ticks(sc):
    trace = sc.tmp / "trace"
    sc.record(trace, [sc.program("ticks")], expect_status=0)
    return trace


def one_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[0] if len(lines) == 1 else None


def no_gdb(sc):
    trace = record_ticks(sc)
    empty = sc.tmp / "bin-without-gdb"
    empty.mkdir()
    r = run([sc.args.runner, "replay", trace], env=clean_env(PATH=str(empty)))
    sc.watch.add_session(r.session)
    check(r.status != 0, "replay without gdb in PATH exited 0", r.text)
    line = one_line(r.err)
    check(line is not None and re.search(r"\bgdb\b", line) and "package gdb" in line,
          "replay without gdb did not say in one line to install the package gdb", r.text)


class ServedReplay:
    """`replay --gdb-port 0 TRACE`: the runner picks a free port and says which on stderr."""

    def __init__(self, sc, trace, port=0):
        self.sc = sc
        self.proc = subprocess.Popen([str(sc.args.runner), "replay", "--gdb-port", str(port), str(trace)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=clean_env(), preexec_fn=no_core_dumps, start_new_session=True)
        sc.watch.add_session(self.proc.pid)
        self.err = b""

    def read_port(self):
        deadline = time.monotonic() + TIMEOUT_S
        while b"\n" not in self.err:
            left = deadline - time.monotonic()
            check(left > 0, "the runner never said where it serves gdb", self.err.decode(errors="replace"))
            ready, _, _ = select.select([self.proc.stderr], [], [], left)
            if ready:
                chunk = os.read(self.proc.stderr.fileno(), 4096)
                check(chunk != b"", "the runner ended before serving gdb", self.err.decode(errors="replace"))
                self.err += chunk
        m = re.search(rb"127\.0\.0\.1:(\d+)", self.err)
        check(m is not None, "no port in the runner's message", self.err.decode(errors="replace"))
        return int(m.group(1))

    def wait(self):
        """The runner's return code (-N: killed by signal N); a runner that does not end
        fails the scenario."""
        try:
            out, err = self.proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.communicate()
            raise AssertionError(f"the runner did not end within {TIMEOUT_S} s after its client went away")
        self.err += err
        return self.proc.returncode

    @property
    def stderr(self):
        return self.err.decode(errors="replace")


def port_in_use(sc):
    trace = record_ticks(sc)
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        served = ServedReplay(sc, trace, taken.getsockname()[1])
        status = served.wait()
    finally:
        taken.close()
    check(status > 0, f"replay on a taken port returned {status}", served.stderr)
    line = one_line(served.stderr)
    check(line is not None and "in use" in line.lower(),
          "replay on a taken port did not say in one line that the address is in use", served.stderr)


def gdb_killed(sc):
    trace = record_ticks(sc)
    served = ServedReplay(sc, trace)
    port = served.read_port()
    gdb = subprocess.Popen([str(sc.args.gdb), "-nx", "-q", "-iex", "set debuginfod enabled off",
                            "-ex", "set pagination off", "-ex", "set sysroot target:",
                            "-ex", f"target extended-remote 127.0.0.1:{port}", "-ex", "break tick",
                            "-ex", "continue", "-ex", "continue", "-ex", "echo @@ READY\\n"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=clean_env(), start_new_session=True)
    sc.watch.add_session(gdb.pid)
    # gdb then waits for commands on its stdin, which stays open: it is mid-session.
    seen = b""
    deadline = time.monotonic() + TIMEOUT_S
    while b"@@ READY" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([gdb.stdout], [], [], 1)
        if ready:
            chunk = os.read(gdb.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
    try:
        check(b"@@ READY" in seen and b"tick (i=1)" in seen, "gdb did not reach the second hit of tick",
              seen.decode(errors="replace"))
    finally:
        os.kill(gdb.pid, signal.SIGKILL)
        gdb.wait()
    status = served.wait()
    check(status >= 0, f"the runner died of signal {-status} when gdb was killed", served.stderr)


class RawClient:
    """A bare remote-protocol client: a reader thread keeps draining the socket, so a
    server that answers while we still send can never block us both."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        self.received = bytearray()
        self.lock = threading.Lock()
        self.closed = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                with self.lock:
                    self.received += data
        except OSError:
            pass
        self.closed = True

    def send(self, data):
        self.sock.sendall(data)

    def send_packet(self, payload):
        self.send(frame(payload))

    def wait_for(self, pattern, start=0):
        """The first match of PATTERN in what arrived from offset START on."""
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            with self.lock:
                m = re.compile(pattern).search(bytes(self.received), start)
            if m:
                return m
            if self.closed:
                return None
            time.sleep(0.02)
        return None

    def close(self):
        # shutdown, not just close: the reader thread blocked in recv keeps the socket
        # open, and the peer would never see it go.
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.reader.join(TIMEOUT_S)


def frame(payload, checksum=None):
    if isinstance(payload, str):
        payload = payload.encode()
    cs = sum(payload) % 256 if checksum is None else checksum
    return b"$" + payload + b"#" + f"{cs:02x}".encode()


def hexs(text):
    return text.encode().hex()


def client_closes(sc):
    trace = record_ticks(sc)
    served = ServedReplay(sc, trace)
    client = RawClient(served.read_port())
    client.send_packet("qSupported:multiprocess+;swbreak+;hwbreak+")
    check(client.wait_for(rb"\$[^#]*PacketSize[^#]*#") is not None, "no answer to qSupported",
          bytes(client.received).decode(errors="replace"))
    client.send(b"+")
    client.send_packet("?")
    check(client.wait_for(rb"\$[TS][0-9a-f]{2}") is not None, "no stop reply to ?",
          bytes(client.received).decode(errors="replace"))
    client.send(b"+")
    client.close()
    status = served.wait()
    check(status >= 0, f"the runner died of signal {-status} when its client hung up", served.stderr)


def flood_packets():
    """Malformed and absurd input, from a fixed seed so that a failure repeats."""
    rng = random.Random(20240611)
    junk = bytes(b for b in rng.randbytes(200000) if b not in b"$#\x03}*")
    big = b"A" * (4 << 20)
    yield junk
    yield b"$" + junk[:5000]                                   # a packet that never ends...
    yield frame("?", checksum=0x00) * 50                        # ...then bad checksums
    yield frame(big)                                            # far over any packet size
    yield frame(big, checksum=0x12)
    yield b"#ff#zz$#" + b"}" * 1000 + b"#00"                    # framing characters alone
    yield b"\x03" * 20                                          # interrupts while stopped
    for p in ["m0,ffffffffffffffff", "mffffffffffffffff,10", "m,", "mzz,zz", "M0,ffffffff:00",
              "Mffffffffffffff00,4:00000000", "X0,ffffffffff:", "g" * 3000, "Gzz", "G",
              "Pfff=00", "p99999", "pzz", "Z9,0,0", "z0,zz,1", "Z0,0,ffffffffff", "Hgzzz", "Hc-2", "T-1",
              "qXfer:exec-file:read::ffffffffffff,ffffffff", "qXfer:auxv:read::0,ffffffffffffffff",
              "qXfer:features:read:nonexistent.xml:0,fff", "qXfer:libraries-svr4:read::zz,",
              "vFile:open:" + hexs("/etc/shadow") + ",0,0", "vFile:pread:7fffffff,ffffffff,0",
              "vFile:pread:-1,10,0", "vFile:close:zz", "vFile:setfs:99", "qRcmd,zz", "qRcmd,",
              "qRcmd," + hexs("goto 99999999999999999999999"), "qRcmd," + hexs("goto -1"),
              "qRcmd," + hexs("x" * 5000), "vCont;z", "vCont;s:zz", "QStartNoAckMode:junk",
              "qSupported:" + "x;" * 5000, "vMustReplyEmpty", ""]:
        yield frame(p)
    # Random bodies behind a first letter that neither resumes nor ends the session
    # (k, D, c, s, vKill...), since the point is that the session survives.
    for _ in range(500):
        body = bytes(b for b in rng.randbytes(rng.randrange(0, 300)) if b not in b"$#}*\x03")
        body = rng.choice([b"q", b"m", b"M", b"X", b"g", b"p", b"P", b"Z", b"z", b"H", b"T", b"x"]) + body
        yield frame(body, checksum=rng.randrange(256) if rng.random() < 0.5 else None)


def packet_flood(sc):
    trace = record_ticks(sc)
    served = ServedReplay(sc, trace)
    client = RawClient(served.read_port())

    def verdict(ok, message):
        if not ok:
            # The runner's last words are on its stderr, readable once it has ended.
            client.close()
            status = served.wait()
            check(False, f"{message} (the runner returned {status})",
                  bytes(client.received[flood_end:])[-3000:].decode(errors="replace") +
                  "\n----- runner stderr -----\n" + served.stderr)

    for chunk in flood_packets():
        if client.closed:
            break
        try:
            client.send(chunk)
        except OSError:
            break
    with client.lock:
        flood_end = len(client.received)
    verdict(not client.closed, "the runner closed the connection during the flood")
    # A request that only this point can answer, then the stop reply the brief asks for.
    client.send_packet("qRcmd," + hexs("when"))
    when = client.wait_for(rb"\$O(" + hexs("Current event").encode() + rb"[0-9a-f]*)#", flood_end)
    verdict(when is not None, "no answer to monitor when after the flood")
    client.send(b"+")
    client.send_packet("?")
    verdict(client.wait_for(rb"\$[TS][0-9a-f]{2}", when.end()) is not None, "no stop reply to ? after the flood")
    client.send(b"+")
    client.close()
    status = served.wait()
    check(status >= 0, f"the runner died of signal {-status} after the flood", served.stderr)


def session_goes_on(sc, failing_command, expected_error, after=("p i", "continue", "p i", "reverse-continue", "p i"),
                    values=("0", "1", "0")):
    """FAILING_COMMAND makes gdb report an error; that ends the first command file only,
    and a second file checks that the replay still answers and still moves."""
    trace = record_ticks(sc)
    first = GdbScript(end="END1")
    first.cmd("break tick", "continue")
    first.probe("failing", failing_command)
    second = GdbScript()
    second.probe("after", *after)
    t = sc.gdb(trace, [first, second]).completed()
    check(re.search(expected_error, t["failing"]) is not None,
          f"`{failing_command}` did not fail with {expected_error!r}", t.out)
    check(t.values("after") == list(values), f"after `{failing_command}` the session did not go on", t.out)
    return t


def unmapped_memory(sc):
    session_goes_on(sc, "x/4x 0", r"Cannot access memory at address 0x0")


def inferior_call(sc):
    # gdb runs a function of the program; a replay may refuse it, but must survive it,
    # and a call it expects is no divergence from the recording.
    t = session_goes_on(sc, "call (int)getppid()", r"(?i)error|cannot|not supported|\$1 = ")
    check("diverged" not in t["failing"], "the replay reports a divergence for gdb's own call", t.out)


def goto_past_end(sc):
    # Whether it refuses or stops at the end, the replay must still go where it is sent.
    session_goes_on(sc, "monitor goto 100000", r"(?i)event|end|error",
                    after=("monitor goto 0", "flushregs", "continue", "p i"), values=("0",))


def interrupt_long_search(sc):
    # Stepping back out of the end of a billion-iteration loop, with no checkpoint in
    # it, would take hours: a Ctrl-C (gdb sends it as an interrupt packet) must end the
    # search within seconds, leave the user where they were, and the session go on.
    trace = sc.tmp / "trace"
    sc.record(trace, [sc.program("spin")], expect_status=0)
    after_loop = line_of(sc.source("spin.c"), "AFTER-LOOP")
    s = GdbScript()
    s.cmd(f"break spin.c:{after_loop}")
    s.where("end", "continue")
    s.cmd("python import os, signal, threading, time",
          "python t0 = time.time(); threading.Timer(2.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()")
    s.where("back", "reverse-stepi", 'python print("SECONDS %.1f" % (time.time() - t0))')
    s.probe("finish", "delete", "continue")
    t = sc.gdb(trace, s, timeout=300).completed()
    end, back = t.where("end"), t.where("back")
    check(end.line == after_loop, f"continue stopped at {end}, not line {after_loop}", t.out)
    seconds = re.search(r"SECONDS ([0-9.]+)", t["back"])
    check(seconds is not None and float(seconds.group(1)) < 30,
          f"the interrupted reverse-stepi took {seconds.group(1) if seconds else '?'} s", t.out)
    check("rr-test-runner: interrupted" in t.out, "the runner did not say the search was interrupted", t.out)
    check(back.pc == end.pc, f"after the interrupt the replay is at {back}, not back at {end}", t.out)
    # The replay stops once just before the exit, so that the end can be stepped back from.
    check("No more reverse-execution history" in t["finish"] and "_exit" in t["finish"],
          "the session did not go on to the end after the interrupt", t.out)


if __name__ == "__main__":
    run_main({"no_gdb": no_gdb, "port_in_use": port_in_use, "gdb_killed": gdb_killed,
              "client_closes": client_closes, "packet_flood": packet_flood, "unmapped_memory": unmapped_memory,
              "inferior_call": inferior_call, "monitor_goto_past_end": goto_past_end,
              "interrupt_long_search": interrupt_long_search})
