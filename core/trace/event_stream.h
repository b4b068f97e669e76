// The `events` file of a trace: a header, then checksummed zstd chunks of events.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/unique_fd.h"
#include "trace/event.h"

namespace rrtr {

// Appends events and writes them out a chunk at a time, so memory stays bounded by a few
// chunks however long the recording runs. Chunks are compressed and written in order by
// a thread of the writer's own: the tracer and the tracee share one CPU, and neither
// needs to wait for zstd (a 200 KiB start-up snapshot took ~0.5 ms to compress).
class EventStreamWriter {
 public:
  explicit EventStreamWriter(const std::filesystem::path& path);
  ~EventStreamWriter();
  void append(const Event& e);
  // An event that the writing thread makes (and may fail to: then sync() reports it),
  // in a chunk of its own after the events appended so far.
  void append_later(std::function<Event()> make);
  // Makes the pending events a chunk and hands it to the writing thread (or, once it
  // was told to end, writes it itself).
  void flush();
  // flush(), and lets the writing thread end once it has written everything: the few
  // events left (a program's exit) the caller writes at close(), which then waits for
  // no thread to wake on another CPU and end (~0.04 ms here). Nothing may be appended
  // later after it.
  void hand_over_final();
  // Writes out the pending events (itself when the writing thread has nothing in hand,
  // else through it) and waits until every chunk is written; a failed write is
  // reported here (or at a later flush) as an Error.
  void sync();
  // sync(), then lets the writing thread end while the caller goes on (the destructor
  // waits for it): nothing may be appended after.
  void close();
  std::uint64_t count() const { return count_; }

 private:
  class ChunkWriter;
  // Seals the pending events on the calling thread, after the writing thread's chunks.
  void write_pending_here();

  UniqueFd fd_;
  std::unique_ptr<ChunkWriter> writer_;
  std::string pending_;
  std::uint32_t pending_events_ = 0;
  std::uint64_t count_ = 0;
  bool writer_ending_ = false;  // hand_over_final() was called
};

// Reads events in order. A chunk that is damaged is an error; a chunk cut short at the
// end of the file is reported through truncated() so a partial recording can still be
// replayed up to its last complete event.
class EventStreamReader {
 public:
  explicit EventStreamReader(const std::filesystem::path& path);
  std::optional<Event> next();
  std::uint64_t index() const { return next_index_; }  // index of the event next() returns
  bool truncated() const { return truncated_; }

  // Where the reader is, to come back to it (replay checkpoints).
  struct Position {
    std::uint64_t chunk_offset = 0;
    std::size_t chunk_pos = 0;
    std::uint32_t chunk_left = 0;
    std::uint64_t next_index = 0;
  };
  Position tell() const { return {chunk_offset_, chunk_pos_, chunk_left_, next_index_}; }
  void seek(const Position& p);

 private:
  bool load_chunk();

  UniqueFd fd_;
  std::filesystem::path path_;
  std::uint64_t file_size_ = 0;
  std::uint64_t offset_ = 0;        // of the next chunk
  std::uint64_t chunk_offset_ = 0;  // of the loaded chunk
  std::string chunk_;
  std::size_t chunk_pos_ = 0;
  std::uint32_t chunk_left_ = 0;
  std::uint64_t next_index_ = 0;
  bool truncated_ = false;
};

}  // namespace rrtr
