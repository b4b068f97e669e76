"""Notices files created or removed in a few directories while a replay runs.

Listings taken before and after miss a replay that creates a temp directory
and removes it again, which is exactly what a replay that re-executes file
system syscalls would do; inotify sees both events.
"""

import ctypes
import os
import struct

IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_Q_OVERFLOW = 0x4000
IN_NONBLOCK = os.O_NONBLOCK
_WATCHED = IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
_NAMES = {IN_MOVED_FROM: "moved away", IN_MOVED_TO: "moved in",
          IN_CREATE: "created", IN_DELETE: "deleted"}
_HEADER = struct.Struct("iIII")

_libc = ctypes.CDLL(None, use_errno=True)


class Watch:
    """Directory -> name prefix to report ("" reports every name)."""

    def __init__(self, dirs):
        self.fd = _libc.inotify_init1(IN_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.by_wd = {}
        for path, prefix in dirs.items():
            wd = _libc.inotify_add_watch(self.fd, os.fsencode(path), _WATCHED)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {path}")
            self.by_wd[wd] = (path, prefix)

    def changes(self):
        """Returns human-readable changes seen so far, and whether events were lost."""
        found, overflow = [], False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return found, overflow
            pos = 0
            while pos < len(data):
                wd, mask, _cookie, length = _HEADER.unpack_from(data, pos)
                raw = data[pos + _HEADER.size:pos + _HEADER.size + length]
                pos += _HEADER.size + length
                if mask & IN_Q_OVERFLOW:
                    overflow = True
                    continue
                path, prefix = self.by_wd.get(wd, ("?", ""))
                name = raw.rstrip(b"\0").decode(errors="replace")
                if name.startswith(prefix):
                    kind = next((v for k, v in _NAMES.items() if mask & k), hex(mask))
                    found.append(f"{kind}: {os.path.join(path, name)}")

    def close(self):
        os.close(self.fd)
