#include "trace/trace_dir.h"

#include <optional>

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/files.h"

namespace rrtr {

TraceWriter::TraceWriter(std::filesystem::path dir, std::filesystem::path blob_store_dir, nlohmann::json meta)
    : dir_((make_private_dir(dir), std::move(dir))),
      store_(std::move(blob_store_dir)),
      events_(dir_ / "events"),
      meta_(std::move(meta)) {
  make_private_dir(dir_ / "blobs");
  meta_["format"] = "rr-test-runner-trace";
  meta_["version"] = kTraceFormatVersion;
  meta_["complete"] = false;
  meta_["incomplete_reason"] = "recording in progress (or the recorder was killed)";
  const std::string initial = meta_text();
  write_private_file(dir_ / "meta.json", initial);
  // The final one grows by the files, the events and the exit: room for twice as much.
  final_meta_.emplace(dir_ / "meta.json", 2 * initial.size() + 4096);
}

void TraceWriter::link_blob(const BlobId& id) {
  if (!linked_.insert(id).second) return;
  auto from = store_.path_of(id);
  auto to = dir_ / "blobs" / from.filename();
  if (::link(from.c_str(), to.c_str()) == 0 || errno == EEXIST) return;
  // Another file system: a copy keeps the trace self-contained.
  std::error_code ec;
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) fail(ExitCode::kBadInput, "cannot add blob {} to the trace: {}", id.hex(), ec.message());
}

BlobId TraceWriter::put_file_blob(int fd, const std::string& path) {
  std::lock_guard lock(files_mutex_);
  BlobId id = store_.put_file(fd);
  link_blob(id);
  files_[path] = id.hex();
  return id;
}

void TraceWriter::name_file(const std::string& path, const BlobId& id) {
  std::lock_guard lock(files_mutex_);
  files_[path] = id.hex();
}

std::string TraceWriter::meta_text() const {
  // A program's arguments, environment and paths need not be UTF-8 (JSON strings must
  // be): their invalid bytes are written as U+FFFD. The trace itself keeps them exact.
  return meta_.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void TraceWriter::finish(bool complete, const std::string& incomplete_reason) {
  // meta.json is made while the events' writing thread writes the last chunks, as it
  // will be if that goes well (its ~0.1 ms is otherwise spent after them), and made
  // again if it does not, or if that thread named more files meanwhile.
  std::size_t files_named = 0;
  const auto render = [&](bool whole, const std::string& reason) {
    meta_["complete"] = whole;
    if (whole)
      meta_.erase("incomplete_reason");
    else
      meta_["incomplete_reason"] = reason;
    meta_["events"] = events_.count();
    std::lock_guard lock(files_mutex_);
    meta_["files"] = files_;
    files_named = files_.size();
    return meta_text();
  };
  std::string text = render(complete, incomplete_reason);
  std::optional<Error> unwritten;  // what the events' writing thread could not do
  try {
    events_.close();  // its thread ends while meta.json is written
  } catch (const Error& e) {
    unwritten = e;
  }
  const bool more_files = [&] {
    std::lock_guard lock(files_mutex_);
    return files_.size() != files_named;
  }();
  if (unwritten || more_files)
    text = render(complete && !unwritten, unwritten ? unwritten->what() : incomplete_reason);
  final_meta_->commit(text);
  if (unwritten) throw *unwritten;
}

TraceReader::TraceReader(const std::filesystem::path& dir) : dir_(dir), blobs_(dir / "blobs") {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    fail(ExitCode::kBadInput, "{} is not a trace directory (no such directory)", dir.string());
  auto text = read_file(dir / "meta.json");
  if (!text) fail(ExitCode::kBadInput, "{} is not a trace: cannot read meta.json: {}", dir.string(), std::strerror(errno));
  meta_ = nlohmann::json::parse(*text, nullptr, false);
  if (meta_.is_discarded() || !meta_.is_object())
    fail(ExitCode::kTraceCorrupt, "trace corrupted: {}/meta.json is not valid JSON", dir.string());
  if (meta_.value("format", "") != "rr-test-runner-trace")
    fail(ExitCode::kTraceCorrupt, "{} is not an rr-test-runner trace (meta.json has no format tag)", dir.string());
  if (!meta_.contains("version") || !meta_["version"].is_number_integer() || meta_["version"] != kTraceFormatVersion)
    fail(ExitCode::kTraceCorrupt, "trace {} has format version {}, this build reads version {}", dir.string(),
         meta_.contains("version") ? meta_["version"].dump() : "none", kTraceFormatVersion);
  if (!meta_.contains("complete") || !meta_["complete"].is_boolean())
    fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json lacks the 'complete' flag");
  if (meta_.contains("events") && !meta_["events"].is_number_unsigned())
    fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json: events must be a number");
  if (meta_.contains("files") && !meta_["files"].is_object())
    fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json: files must be an object");
}

void TraceReader::check_replayable() const {
  // What replay reads from meta.json, with its types, so a damaged file is reported as
  // such rather than failing deep inside.
  auto expect = [&](const nlohmann::json& obj, const char* key, bool (nlohmann::json::*is)() const noexcept,
                    const char* what) {
    if (!obj.contains(key) || !(obj[key].*is)())
      fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json: {} must be {}", key, what);
  };
  expect(meta_, "cpu", &nlohmann::json::is_object, "an object");
  const auto& cpu = meta_["cpu"];
  expect(cpu, "xcr0", &nlohmann::json::is_number_unsigned, "a number");
  expect(cpu, "cpuid_faulting", &nlohmann::json::is_boolean, "true or false");
  expect(cpu, "features", &nlohmann::json::is_object, "an object");
  for (const auto& [k, v] : cpu["features"].items())
    if (!v.is_number_unsigned()) fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json: cpu feature {} must be a number", k);
  if (cpu.contains("signature") && !cpu["signature"].is_number_unsigned())
    fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json: signature must be a number");
  if (cpu.contains("index") && !cpu["index"].is_number_integer())
    fail(ExitCode::kTraceCorrupt, "trace corrupted: meta.json: index must be a number");
}

std::optional<BlobId> TraceReader::file_blob(const std::string& path) const {
  auto files = meta_.find("files");
  if (files == meta_.end() || !files->is_object()) return std::nullopt;
  auto it = files->find(path);
  if (it == files->end() || !it->is_string()) return std::nullopt;
  return BlobId::from_hex(it->get<std::string>());
}

}  // namespace rrtr
