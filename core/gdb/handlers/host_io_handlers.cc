// vFile: gdb reads the program's executable and libraries through these, from the
// target's copies, so a replay needs none of the original files on disk. Results are
// `F<result>[,<errno>][;<data>]`, numbers in hex, errno values File-I/O's own.
#include <fmt/format.h>

#include <algorithm>

#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/host_io.h"
#include "gdb/packet_framing.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

Outcome failure(int fio_errno) { return reply(fmt::format("F-1,{:x}", fio_errno)); }

std::optional<int> parse_fd(std::string_view text) {
  auto fd = parse_hex_u64(text);
  if (!fd || *fd > 0x7fffffff) return std::nullopt;
  return static_cast<int>(*fd);
}

// Files are served from one program whichever process gdb names.
Outcome set_fs(Session&, std::string_view args) {
  if (!parse_hex_u64(args)) return failure(fio_errno::kInval);
  return reply("F0");
}

// vFile:open:<hex path>,<flags>,<mode>
Outcome open(Session& session, std::string_view args) {
  auto fields = split(args, ',');
  if (fields.size() != 3) return failure(fio_errno::kInval);
  auto path = hex_decode(fields[0]);
  auto flags = parse_hex_u64(fields[1]);
  if (!path || !flags || !parse_hex_u64(fields[2])) return failure(fio_errno::kInval);
  if ((*flags & kFioWriteAccessMask) != 0) return failure(fio_errno::kAcces);
  auto contents = session.target().file_contents(*path);
  if (!contents) return failure(fio_errno::kNoEnt);
  int fd = session.files.open(std::move(*contents));
  if (fd < 0) return failure(fio_errno::kMFile);
  return reply(fmt::format("F{:x}", fd));
}

// vFile:pread:<fd>,<count>,<offset>
Outcome pread(Session& session, std::string_view args) {
  auto fields = split(args, ',');
  if (fields.size() != 3) return failure(fio_errno::kInval);
  auto fd = parse_fd(fields[0]);
  auto count = parse_hex_u64(fields[1]);
  auto offset = parse_hex_u64(fields[2]);
  if (!fd || !count || !offset) return failure(fio_errno::kInval);
  const std::string* file = session.files.find(*fd);
  if (file == nullptr) return failure(fio_errno::kBadF);
  std::string_view data;
  if (*offset < file->size()) {
    data = std::string_view(*file).substr(*offset, std::min<std::uint64_t>(*count, kMaxReplyData));
  }
  return reply(fmt::format("F{:x};", data.size()) + escape_binary(data));
}

// vFile:pwrite:<fd>,<offset>,<binary>. Every descriptor is read-only, so a well-formed
// write fails as a write to a read-only descriptor does.
Outcome pwrite(Session&, std::string_view args) {
  auto fd_rest = split_once(args, ',');
  if (!fd_rest) return failure(fio_errno::kInval);
  auto offset_data = split_once(fd_rest->second, ',');
  auto fd = parse_fd(fd_rest->first);
  if (!offset_data || !fd || !parse_hex_u64(offset_data->first) || !unescape_binary(offset_data->second)) {
    return failure(fio_errno::kInval);
  }
  return failure(fio_errno::kBadF);
}

Outcome close(Session& session, std::string_view args) {
  auto fd = parse_fd(args);
  if (!fd) return failure(fio_errno::kInval);
  return session.files.close(*fd) ? reply("F0") : failure(fio_errno::kBadF);
}

Outcome fstat(Session& session, std::string_view args) {
  auto fd = parse_fd(args);
  if (!fd) return failure(fio_errno::kInval);
  const std::string* file = session.files.find(*fd);
  if (file == nullptr) return failure(fio_errno::kBadF);
  std::string stat = fio_stat(file->size());
  return reply(fmt::format("F{:x};", stat.size()) + escape_binary(stat));
}

// The target serves file contents only, no symlinks: a file it has is "not a link".
Outcome readlink(Session& session, std::string_view args) {
  auto path = hex_decode(args);
  if (!path) return failure(fio_errno::kInval);
  return failure(session.target().file_contents(*path) ? fio_errno::kInval : fio_errno::kNoEnt);
}

}  // namespace

void register_host_io_handlers(HandlerTable& table) {
  table.add("vFile:setfs", set_fs);
  table.add("vFile:open", open);
  table.add("vFile:pread", pread);
  table.add("vFile:pwrite", pwrite);
  table.add("vFile:close", close);
  table.add("vFile:fstat", fstat);
  table.add("vFile:readlink", readlink);
}

}  // namespace rrtr::gdb
