"""Replay must not touch the host: the program's files, sockets and kill() are all
answered from the trace, so the world looks the same after any number of replays."""
import os
import shutil
import socket
import subprocess

import e2e_lib as e2e


def free_loopback_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_pid():
    # A pid that has just been reaped; pid reuse within the test is vanishingly rare.
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def snapshot(directory):
    """Everything a stray replay could change: names, contents, modes, mtimes."""
    state = {".": os.stat(directory).st_mtime_ns}
    for entry in sorted(directory.iterdir()):
        st = entry.stat()
        state[entry.name] = (entry.read_bytes(), st.st_mode, st.st_mtime_ns)
    return state


def restore_known_state(directory):
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    (directory / "victim.txt").write_text("must survive every replay\n")
    (directory / "bystander.txt").write_text("never touched\n")


class NoSideEffects(e2e.E2ETestCase):
    def test_replays_leave_files_network_and_processes_alone(self):
        work = self.tmp / "work"
        restore_known_state(work)
        port = free_loopback_port()
        trace = self.tmp / "trace"
        rec = e2e.record(trace, e2e.program("side_effects"), work, port, dead_pid())
        self.assert_status(rec, 7)
        self.assertIn(b"unlink victim 0\n", rec.out, "the recording itself must have had the effects")
        self.assertIn(b"recv 4 ping\n", rec.out)
        self.assertIn(b"kill -1 No such process\n", rec.out)
        self.assertEqual(sorted(p.name for p in work.iterdir()),
                         ["bystander.txt", "renamed.txt", "victim-was-here.txt"])

        restore_known_state(work)
        before = snapshot(work)
        # Holding the port: a replay that really binds fails, one that really connects
        # lands in this listener's queue.
        with socket.socket() as guard:
            guard.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the recording's TIME_WAIT
            guard.bind(("127.0.0.1", port))
            guard.listen(8)
            guard.setblocking(False)
            for i in range(3):
                rep = e2e.replay(trace)
                self.assert_status(rep, 7)
                self.assertEqual(rep.out, rec.out, f"replay {i}")
                self.assertEqual(rep.err, b"side_effects done\n", f"replay {i}")
                self.assertEqual(snapshot(work), before, f"replay {i} changed the directory")
                with self.assertRaises(BlockingIOError, msg=f"replay {i} connected for real"):
                    guard.accept()


if __name__ == "__main__":
    e2e.main()
