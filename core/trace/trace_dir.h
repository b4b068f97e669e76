// A trace on disk: a directory with meta.json, the event stream, and hard links to
// the blobs it uses (so the directory replays on its own when moved or copied).
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <memory>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <optional>
#include <string>

#include "common/files.h"
#include "trace/blob_store.h"
#include "trace/event_stream.h"

namespace rrtr {

constexpr int kTraceFormatVersion = 5;

// Writes a trace while recording. meta.json is written at once (marked incomplete) and
// rewritten by finish(); a recorder that dies leaves a trace that says it is partial.
class TraceWriter {
 public:
  TraceWriter(std::filesystem::path dir, std::filesystem::path blob_store_dir, nlohmann::json meta);
  const std::filesystem::path& dir() const { return dir_; }
  BlobStore& store() { return store_; }
  nlohmann::json& meta() { return meta_; }

  void append(const Event& e) { events_.append(e); }
  // At the program's exit_group: the events so far go to the writing thread, which
  // compresses them and ends while the kernel tears the program down; the exit, the
  // one event left, is written at finish(). Nothing may be made later after it.
  void hand_over_final_events() { events_.hand_over_final(); }
  // An event made on the events' writing thread, in its place in the stream (the
  // start-up snapshot, read from a copy of the program while the program goes on).
  void append_later(std::function<Event()> make) { events_.append_later(std::move(make)); }
  std::uint64_t event_count() const { return events_.count(); }
  // Stores a mapped file and remembers the path the program mapped it by, so a
  // debugger can ask for "/lib/x86_64-linux-gnu/libc.so.6" (meta.json "files").
  // Thread-safe: append_later's events store files too.
  BlobId put_file_blob(int fd, const std::string& path);
  // Another name for a file already stored (the symlink path a program opened it by;
  // ld.so's name for a library the start-up loaded). Thread-safe.
  void name_file(const std::string& path, const BlobId& id);

  // Flushes events and rewrites meta.json with `complete` and whatever the caller set.
  // An event the writing thread could not make or write makes the trace incomplete, for
  // that reason, and is thrown once meta.json says so.
  void finish(bool complete, const std::string& incomplete_reason = "");

 private:
  std::string meta_text() const;
  // Makes the trace refer to a blob already in the store.
  void link_blob(const BlobId& id);

  std::filesystem::path dir_;
  BlobStore store_;
  EventStreamWriter events_;
  nlohmann::json meta_;
  std::optional<PendingPrivateFile> final_meta_;  // made with the trace, written by finish()
  std::mutex files_mutex_;  // guards store_'s writes, linked_ and files_
  std::set<BlobId> linked_;
  std::map<std::string, std::string> files_;
};

// Opens a trace for replay or inspection, validating meta.json.
class TraceReader {
 public:
  explicit TraceReader(const std::filesystem::path& dir);
  const nlohmann::json& meta() const { return meta_; }
  const std::filesystem::path& dir() const { return dir_; }
  bool complete() const { return meta_.value("complete", false); }
  // Checks the parts of meta.json that replay relies on (dump needs none of them).
  void check_replayable() const;
  EventStreamReader open_events() const { return EventStreamReader(dir_ / "events"); }
  const BlobReader& blobs() const { return blobs_; }
  // The blob of a file the program mapped, by the path it used.
  std::optional<BlobId> file_blob(const std::string& path) const;

 private:
  std::filesystem::path dir_;
  nlohmann::json meta_;
  BlobReader blobs_;
};

}  // namespace rrtr
