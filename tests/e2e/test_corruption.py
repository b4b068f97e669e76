"""Damaged traces: dump and replay must report the damage (exit 242, 244 or 245) in one
stderr line, and never crash, hang, or call it an internal error. ctest runs this
script against the plain engine and against rr-test-runner-asan.

Extra argument: the plain engine, which records the subject trace (an input here)."""
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import e2e_lib as e2e
import trace_tools as tt

REPORTED = {242, 244, 245}
PROGRAM_STATUS = 3  # read_file_sum's own exit status
RECORDER = e2e.EXTRA[0]
FLIPS = int(os.environ.get("RRTR_CORRUPTION_FLIPS", 50))  # more for a sweep by hand
TRUNCATIONS = 20


def spread(lo, hi, count):
    return [lo + (hi - lo) * i // count for i in range(count)]


class Corruption(e2e.E2ETestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = Path(tempfile.mkdtemp(prefix="e2e-corruption-"))
        cls.addClassCleanup(shutil.rmtree, cls.base, ignore_errors=True)  # runs even if this method fails
        cls.data = cls.base / "data.bin"
        # Incompressible data that the program reads lands in the events: several chunks.
        cls.data.write_bytes(random.Random(1234).randbytes(2_500_000))
        cls.pristine = cls.base / "pristine"
        rec = e2e.run([RECORDER, "record", "-o", cls.pristine, "--", e2e.program("read_file_sum"), cls.data])
        assert rec.status == PROGRAM_STATUS, rec.err
        cls.recorded_out = rec.out
        cls.pristine_dump = e2e.dump(cls.pristine).out
        cls.events_size = (cls.pristine / "events").stat().st_size
        cls.chunks = tt.read_chunks(cls.pristine / "events")
        assert len(cls.chunks) >= 3, "the subject trace should span several chunks"

    def damaged_copy(self, name, damage):
        # A plain copy: the trace's blobs are hard links into the store, which must stay intact.
        trace = self.tmp / name
        shutil.copytree(self.pristine, trace)
        damage(trace)
        return trace

    def assert_reported(self, result, what):
        self.assertFalse(result.killed_by_signal, f"{what}: killed by signal {result.status - 128}")
        self.assertIn(result.status, REPORTED, f"{what}: status {result.status}, stderr {result.err_lines}")
        self.assert_one_error_line(result)
        self.assertEqual(e2e.reap_leftovers(), [], f"{what}: processes left behind")

    def check(self, name, damage, dump_reads_damage=True):
        """dump must fail too when the damage is in what it reads (events, meta.json
        header); blobs and CPU facts are replay's alone, so dump must still succeed."""
        with self.subTest(name):
            trace = self.damaged_copy(name, damage)
            dumped = e2e.dump(trace)
            if dump_reads_damage:
                self.assert_reported(dumped, f"dump, {name}")
            else:
                self.assert_status(dumped, 0)
                self.assertEqual(dumped.out, self.pristine_dump, name)
            self.assert_reported(e2e.replay(trace), f"replay, {name}")
            shutil.rmtree(trace)

    def test_undamaged_trace(self):
        """The baseline the damaged cases differ from, with the engine under test."""
        own = self.tmp / "own"
        rec = e2e.record(own, e2e.program("read_file_sum"), self.data)
        self.assert_status(rec, PROGRAM_STATUS)
        self.assertEqual(rec.out, self.recorded_out)
        self.assertEqual(rec.err.decode(), f"rr-test-runner: trace written to {own}\n")
        dumped = e2e.dump(self.pristine)
        self.assert_status(dumped, 0)
        self.assertEqual((dumped.out, dumped.err), (self.pristine_dump, b""))
        rep = e2e.replay(self.pristine)
        self.assert_status(rep, PROGRAM_STATUS)
        self.assertEqual((rep.out, rep.err), (self.recorded_out, b""))

    def test_truncated_events(self):
        first = self.chunks[0]
        structural = [0, 1, 7, 8, 9, 8 + 31, 8 + 32, first.end - 1, first.end, first.end + 1,
                      self.chunks[1].end, self.events_size - 1]
        lengths = sorted(set(structural + spread(40, self.events_size, TRUNCATIONS)))[:TRUNCATIONS]
        self.assertEqual(len(lengths), TRUNCATIONS)
        for n in lengths:
            def damage(trace, n=n):
                with open(trace / "events", "r+b") as f:
                    f.truncate(n)
            self.check(f"events truncated to {n} of {self.events_size} bytes", damage)

    def test_flipped_event_bytes(self):
        headers = [c.offset + k for c in self.chunks[:2] for k in (0, 4, 8, 12, 16, 24, 31)]
        positions = sorted(set([0, 7] + headers + spread(40, self.events_size, FLIPS)))[:FLIPS]
        positions[-1] = self.events_size - 1
        self.assertEqual(len(set(positions)), FLIPS)
        for pos in positions:
            def damage(trace, pos=pos):
                with open(trace / "events", "r+b") as f:
                    f.seek(pos)
                    byte = f.read(1)[0]
                    f.seek(pos)
                    f.write(bytes([byte ^ 0xFF]))
            self.check(f"events byte {pos} flipped", damage)

    def test_meta_json(self):
        def rewrite(change):
            def damage(trace):
                meta = json.loads((trace / "meta.json").read_text())
                change(meta)
                (trace / "meta.json").write_text(json.dumps(meta))
            return damage

        def write(text):
            return lambda trace: (trace / "meta.json").write_text(text)

        pristine_text = (self.pristine / "meta.json").read_text()
        both = {
            "invalid JSON": write(pristine_text[:len(pristine_text) // 2]),
            "empty": write(""),
            "a JSON array": write("[1, 2, 3]"),
            "wrong version": rewrite(lambda m: m.update(version=m["version"] + 1000)),
            "version as a string": rewrite(lambda m: m.update(version=str(m["version"]))),
            "wrong format tag": rewrite(lambda m: m.update(format="something-else")),
            "no format": rewrite(lambda m: m.pop("format")),
            "no version": rewrite(lambda m: m.pop("version")),
            "no complete flag": rewrite(lambda m: m.pop("complete")),
            "complete flag as a string": rewrite(lambda m: m.update(complete="true")),
        }
        for name, damage in both.items():
            self.check(f"meta.json {name}", damage)
        replay_only = {
            "no cpu": rewrite(lambda m: m.pop("cpu")),
            "cpu as a string": rewrite(lambda m: m.update(cpu="x86_64")),
            "xcr0 as a string": rewrite(lambda m: m["cpu"].update(xcr0="0x7")),
        }
        for name, damage in replay_only.items():
            self.check(f"meta.json {name}", damage, dump_reads_damage=False)

    def test_blobs(self):
        exec_event = json.loads(self.pristine_dump.splitlines()[0])
        exe_blob = next(m["blob"] for m in exec_event["mappings"] if m["source"] == "file") + ".zst"
        biggest = max((self.pristine / "blobs").iterdir(), key=lambda p: p.stat().st_size).name

        def flip_middle(name):
            def damage(trace):
                path = trace / "blobs" / name
                data = bytearray(path.read_bytes())
                data[len(data) // 2] ^= 0xFF
                path.write_bytes(bytes(data))
            return damage

        cases = {
            "the program's blob deleted": lambda t: (t / "blobs" / exe_blob).unlink(),
            "all blobs deleted": lambda t: [p.unlink() for p in (t / "blobs").iterdir()],
            "the program's blob flipped": flip_middle(exe_blob),
            "the largest blob flipped": flip_middle(biggest),
            "the largest blob's frame claiming 2 GiB more": lambda t: tt.inflate_frame_size(t / "blobs" / biggest),
            "the program's blob emptied": lambda t: (t / "blobs" / exe_blob).write_bytes(b""),
            "the program's blob replaced by another": lambda t: shutil.copyfile(t / "blobs" / biggest,
                                                                                  t / "blobs" / exe_blob),
        }
        for name, damage in cases.items():
            self.check(name, damage, dump_reads_damage=False)

    def test_resealed_event_bytes(self):
        """Flips inside events whose checksums are recomputed: only the decoder and the
        replayer can notice, and a flip in a value that does not matter may not be
        noticed at all, in which case the replay must run as recorded."""
        # The start-up snapshot (chunk 0, alone) and the first recorded calls (chunk 1).
        for index in (0, 1):
            raw = self.chunks[index].raw()
            for pos in spread(0, len(raw), FLIPS // 2):
                self.check_resealed_flip(index, raw, pos)

    def check_resealed_flip(self, index, raw, pos):
        with self.subTest(f"re-sealed flip at raw byte {pos} of chunk {index}"):
            def damage(trace, pos=pos):
                changed = bytearray(raw)
                changed[pos] ^= 0xFF
                tt.reseal_chunk(trace / "events", index, bytes(changed))
            trace = self.damaged_copy(f"resealed-{index}-{pos}", damage)
            for what, result, unnoticed in (("dump", e2e.dump(trace), 0),
                                            ("replay", e2e.replay(trace), PROGRAM_STATUS)):
                if result.status != unnoticed or result.err:
                    self.assert_reported(result, f"{what}, raw byte {pos}")
                self.assertEqual(e2e.reap_leftovers(), [], f"{what}, raw byte {pos}: processes left behind")
            shutil.rmtree(trace)


if __name__ == "__main__":
    e2e.main()
