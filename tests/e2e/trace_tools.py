"""Reading and re-sealing a trace's events file, for tests that damage traces on purpose.

The layout is docs/trace-format.md's: an 8-byte magic, then chunks, each a 32-byte
header (magic, raw_size, compressed_size, events, first_event, checksum) and a zstd
payload. The checksum is XXH3-64 of the header's first 24 bytes and the payload; the
engine's own libzstd and libxxhash compute it here, so a re-sealed chunk is one the
engine accepts as undamaged and only its contents can betray the change."""
import ctypes
import ctypes.util
import struct
from dataclasses import dataclass

MAGIC = b"RRTREVT1"
HEADER = struct.Struct("<IIIIQQ")
CHECKSUMMED = 24  # header bytes before the checksum

_zstd = ctypes.CDLL(ctypes.util.find_library("zstd"))
_zstd.ZSTD_compressBound.restype = ctypes.c_size_t
_zstd.ZSTD_compress.restype = ctypes.c_size_t
_zstd.ZSTD_decompress.restype = ctypes.c_size_t
_zstd.ZSTD_isError.restype = ctypes.c_uint
_xxh = ctypes.CDLL(ctypes.util.find_library("xxhash"))
_xxh.XXH3_64bits.restype = ctypes.c_uint64
_xxh.XXH3_64bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]


def zstd_compress(raw, level=1):
    out = ctypes.create_string_buffer(_zstd.ZSTD_compressBound(ctypes.c_size_t(len(raw))))
    n = _zstd.ZSTD_compress(out, ctypes.c_size_t(len(out)), raw, ctypes.c_size_t(len(raw)), level)
    assert not _zstd.ZSTD_isError(ctypes.c_size_t(n)), "zstd compression failed"
    return out.raw[:n]


def zstd_decompress(data, size):
    out = ctypes.create_string_buffer(max(size, 1))
    n = _zstd.ZSTD_decompress(out, ctypes.c_size_t(size), data, ctypes.c_size_t(len(data)))
    assert not _zstd.ZSTD_isError(ctypes.c_size_t(n)) and n == size, "not a zstd payload of the stated size"
    return out.raw[:size]


@dataclass
class Chunk:
    offset: int  # of the header in the events file
    raw_size: int
    events: int
    first_event: int
    payload: bytes

    @property
    def end(self):
        return self.offset + HEADER.size + len(self.payload)

    def raw(self):
        return zstd_decompress(self.payload, self.raw_size)


def read_chunks(events_path):
    data = events_path.read_bytes()
    assert data[:8] == MAGIC, "not an events file"
    chunks, pos = [], 8
    while pos < len(data):
        _, raw_size, csize, events, first, _ = HEADER.unpack_from(data, pos)
        start = pos + HEADER.size
        chunks.append(Chunk(pos, raw_size, events, first, data[start:start + csize]))
        pos = start + csize
    return chunks


def seal(raw, events, first_event):
    """A chunk header and payload holding `raw`, with a valid checksum."""
    payload = zstd_compress(raw)
    head = HEADER.pack(0x4B4E4843, len(raw), len(payload), events, first_event, 0)[:CHECKSUMMED]
    return head + struct.pack("<Q", _xxh.XXH3_64bits(head + payload, len(head) + len(payload))) + payload


def chunk_of_event(events_path, event):
    """(chunk index, chunk, the event's index within it) of event number `event`: the
    start-up snapshot is a chunk of its own."""
    for i, c in enumerate(read_chunks(events_path)):
        if c.first_event <= event < c.first_event + c.events:
            return i, c, event - c.first_event
    raise AssertionError(f"no chunk holds event {event}")


def reseal_chunk(events_path, index, new_raw):
    """Replaces the contents of chunk `index`, keeping every checksum valid."""
    chunks = read_chunks(events_path)
    data = events_path.read_bytes()
    c = chunks[index]
    events_path.write_bytes(data[:c.offset] + seal(new_raw, c.events, c.first_event) + data[c.end:])


# Sizes of the fixed parts of event records (docs/trace-format.md, "Event encoding").
_REGS = 27 * 8  # struct user_regs_struct
_SIGINFO = 128


def event_offsets(raw):
    """(offset, tag) of each event record in a chunk's raw bytes; syscall records also
    give the offset of their `result` field as a third element."""
    found, pos = [], 0

    def u64(at):
        return struct.unpack_from("<Q", raw, at)[0]

    while pos < len(raw):
        start, tag = pos, raw[pos + 4]
        pos += 5
        result_at = None
        if tag == 1:  # exec: exe, registers, mappings (fixed part, image, name, pages), auxv, point, brk
            pos += 8 + u64(pos) + _REGS
            count = u64(pos)
            pos += 8
            for _ in range(count):
                pos += 8 + 8 + 4 + 4 + 8 + 1 + 16
                pos += 8 + u64(pos)
                pos += 8 + u64(pos)
                pages = u64(pos)
                pos += 8
                for _ in range(pages):
                    pos += 8
                    pos += 8 + u64(pos)
            pos += 8 + u64(pos)
            pos += 1 + 8
        elif tag == 2:  # syscall: nr, args, ip, regs hash, result, policy, echo fd, data hash, writes, blob
            result_at = pos + 8 + 48 + 8 + 8
            pos = result_at + 8 + 1 + 1 + 8
            count = u64(pos)
            pos += 8
            for _ in range(count):
                pos += 8
                pos += 8 + u64(pos)
            pos += 16
        elif tag == 3:  # signal
            pos += 4 + 1 + _SIGINFO + _REGS
        elif tag == 4:  # trapped instruction
            pos += 1 + 5 * 8
        elif tag == 5:  # marker: kind, payload, ip
            pos += 4
            pos += 8 + u64(pos) + 8
        elif tag == 6:  # exit
            pos += 4
        else:
            raise AssertionError(f"unknown event tag {tag} at {start}: the trace format changed")
        found.append((start, tag, result_at))
    assert pos == len(raw), "event records overrun their chunk: the trace format changed"
    return found


def inflate_frame_size(blob_path):
    """Flips the top bit of a zstd frame's content-size field: the frame then claims
    2 GiB more than it holds (for the 4-byte field of a blob between 64 KiB and 4 GiB)."""
    data = bytearray(blob_path.read_bytes())
    descriptor = data[4]
    single_segment = descriptor & 0x20
    size_bytes = {0: 1 if single_segment else 0, 1: 2, 2: 4, 3: 8}[descriptor >> 6]
    assert size_bytes == 4, "pick a blob between 64 KiB and 4 GiB"
    at = 5 + (0 if single_segment else 1) + (0, 1, 2, 4)[descriptor & 3]
    data[at + size_bytes - 1] ^= 0x80
    blob_path.write_bytes(bytes(data))
