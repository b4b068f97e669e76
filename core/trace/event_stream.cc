#include "trace/event_stream.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

#include "common/cpu_sets.h"
#include "common/error.h"
#include "trace/bytes.h"
#include "trace/zstd_codec.h"

namespace rrtr {

namespace {
constexpr char kFileMagic[8] = {'R', 'R', 'T', 'R', 'E', 'V', 'T', '1'};
constexpr std::uint32_t kChunkMagic = 0x4b4e4843;  // "CHNK"
constexpr std::size_t kChunkTarget = 1 << 20;
// Of the first chunk's buffer, faulted in before the program runs: a fresh page costs
// ~1.2 us here, and a short program's events are all encoded at its exit.
constexpr std::size_t kWarmBytes = 256 << 10;
constexpr int kChunkLevel = 1;

// Fixed-size chunk header; the checksum covers the other fields and the payload.
struct ChunkHeader {
  std::uint32_t magic;
  std::uint32_t raw_size;
  std::uint32_t compressed_size;
  std::uint32_t events;
  std::uint64_t first_event;
  std::uint64_t checksum;
};
static_assert(sizeof(ChunkHeader) == 32);

std::uint64_t chunk_checksum(const ChunkHeader& h, std::string_view payload) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  XXH3_64bits_update(st, &h, offsetof(ChunkHeader, checksum));
  XXH3_64bits_update(st, payload.data(), payload.size());
  std::uint64_t sum = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return sum;
}

void write_all(int fd, std::string_view bytes) {
  const char* c = bytes.data();
  std::size_t n = bytes.size();
  while (n) {
    ssize_t w = ::write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) fail(ExitCode::kBadInput, "cannot write trace events: {}", std::strerror(errno));
    c += w;
    n -= static_cast<std::size_t>(w);
  }
}

// Events handed to the writing thread: encoded already, or one to make there.
struct Chunk {
  std::string raw;
  std::uint32_t events = 0;
  std::uint64_t first_event = 0;
  std::function<Event()> make;
};

std::size_t read_at(int fd, void* p, std::size_t n, std::uint64_t off) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t r = ::pread(fd, static_cast<char*>(p) + done, n - done, static_cast<off_t>(off + done));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) fail(ExitCode::kTraceCorrupt, "cannot read trace events: {}", std::strerror(errno));
    if (r == 0) break;
    done += static_cast<std::size_t>(r);
  }
  return done;
}

// Compressed chunk, header first: one write, so a recorder that dies leaves whole chunks.
std::string seal_chunk(std::string_view raw, std::uint32_t events, std::uint64_t first_event) {
  std::string payload = zstd_compress(raw, kChunkLevel);
  ChunkHeader h{kChunkMagic, static_cast<std::uint32_t>(raw.size()), static_cast<std::uint32_t>(payload.size()), events,
                first_event, 0};
  h.checksum = chunk_checksum(h, payload);
  std::string sealed(reinterpret_cast<const char*>(&h), sizeof h);
  sealed += payload;
  return sealed;
}

}  // namespace

class EventStreamWriter::ChunkWriter {
 public:
  // `cpus`: where the thread may run (the recorder's own thread is pinned by then).
  ChunkWriter(int fd, const cpu_set_t& cpus) : fd_(fd) {
    // Signals go to the recorder's main thread, whose waitpid they must interrupt.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    pthread_setaffinity_np(thread_.native_handle(), sizeof cpus, &cpus);
  }
  ~ChunkWriter() {
    stop();
    thread_.join();
  }

  // The thread ends once what is queued is written; nothing may be submitted after.
  void stop() { thread_.request_stop(); }  // run()'s wait takes the stop token

  // Nothing queued or being written, and nothing failed: the caller may write itself.
  bool idle() {
    std::lock_guard lock(mutex_);
    return queue_.empty() && !writing_ && !error_;
  }

  void submit(Chunk chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kMaxQueued; });  // bounds memory to a few chunks
    queue_.push_back(std::move(chunk));
    changed_.notify_all();
  }

  // A written chunk's buffer, emptied, if one has come back (its pages are faulted in
  // already); else an empty string.
  std::string spare_buffer() {
    std::lock_guard lock(mutex_);
    if (spare_.empty()) return {};
    std::string buffer = std::move(spare_.back());
    spare_.pop_back();
    return buffer;
  }

  void drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.empty() && !writing_; });
    if (error_) std::rethrow_exception(error_);  // every time: nothing after it was written
  }

 private:
  static constexpr std::size_t kMaxQueued = 4;
  static constexpr std::size_t kMaxSpare = 2;

  void run(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, stop, [&] { return !queue_.empty(); });
      if (queue_.empty()) return;  // stopped with nothing left
      Chunk chunk = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      const bool failed_before = error_ != nullptr;  // then a later chunk would leave a gap
      changed_.notify_all();
      lock.unlock();
      std::exception_ptr failed;
      try {
        if (!failed_before) {
          if (chunk.make) encode_event(chunk.make(), chunk.raw);
          write_all(fd_, seal_chunk(chunk.raw, chunk.events, chunk.first_event));
        }
      } catch (...) {
        failed = std::current_exception();
      }
      std::string reusable;  // a buffer of events, not one grown by an odd large event
      if (!chunk.make && chunk.raw.capacity() >= kChunkTarget && chunk.raw.capacity() <= 2 * kChunkTarget) {
        reusable = std::move(chunk.raw);
        reusable.clear();
      }
      chunk = {};  // a snapshot's copy of the program, killed already, is reaped here
      lock.lock();
      if (reusable.capacity() > 0 && spare_.size() < kMaxSpare) spare_.push_back(std::move(reusable));
      if (failed) error_ = failed;
      writing_ = false;
      changed_.notify_all();
    }
  }

  int fd_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::deque<Chunk> queue_;
  std::vector<std::string> spare_;
  bool writing_ = false;
  std::exception_ptr error_;
  std::jthread thread_;  // last: it starts once everything above exists
};

EventStreamWriter::EventStreamWriter(const std::filesystem::path& path)
    : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) {
  if (!fd_.valid()) fail(ExitCode::kBadInput, "cannot create {}: {}", path.string(), std::strerror(errno));
  write_all(fd_.get(), std::string_view(kFileMagic, sizeof kFileMagic));
  // On the CPUs of the thread that makes the writer: the recorder makes it on a thread
  // beside the CPU it shares with its tracee (record/trace_opening.h), where the
  // writing thread's start also costs the program nothing.
  writer_ = std::make_unique<ChunkWriter>(fd_.get(), current_cpus());
  // Here, beside the program's exec and start-up, rather than at the first append.
  pending_.reserve(kChunkTarget);
  pending_.resize(kWarmBytes);
  pending_.clear();
}

EventStreamWriter::~EventStreamWriter() = default;

void EventStreamWriter::append(const Event& e) {
  // Reserved whole (growing by copies cost ~0.3 ms of a 200 KiB chunk), and here rather
  // than at each flush: the last flush would map a megabyte that nothing fills.
  if (pending_.capacity() < kChunkTarget) pending_ = writer_->spare_buffer();
  if (pending_.capacity() < kChunkTarget) pending_.reserve(kChunkTarget);
  encode_event(e, pending_);
  ++pending_events_;
  ++count_;
  if (pending_.size() >= kChunkTarget) flush();
}

void EventStreamWriter::append_later(std::function<Event()> make) {
  if (writer_ending_) fail(ExitCode::kInternal, "an event made later after the events' writing thread was let end");
  flush();
  writer_->submit(Chunk{{}, 1, count_, std::move(make)});
  ++count_;
}

void EventStreamWriter::flush() {
  if (pending_events_ == 0) return;
  if (writer_ending_) {
    write_pending_here();
    return;
  }
  writer_->submit(Chunk{std::exchange(pending_, {}), pending_events_, count_ - pending_events_, {}});
  pending_events_ = 0;
}

void EventStreamWriter::hand_over_final() {
  flush();
  writer_->stop();
  writer_ending_ = true;
}

void EventStreamWriter::write_pending_here() {
  writer_->drain();  // its chunks first (and its failure, which leaves a gap, reported)
  write_all(fd_.get(), seal_chunk(pending_, pending_events_, count_ - pending_events_));
  pending_.clear();
  pending_events_ = 0;
}

void EventStreamWriter::sync() {
  // Written here: waking the thread on its CPU and back costs more than sealing the
  // last few events (after the program's exit, only its exit). Once the thread was let
  // end, flush() writes them here anyway.
  if (pending_events_ > 0 && writer_->idle()) write_pending_here();
  flush();
  writer_->drain();
}

void EventStreamWriter::close() {
  sync();
  writer_->stop();
}

EventStreamReader::EventStreamReader(const std::filesystem::path& path)
    : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)), path_(path) {
  if (!fd_.valid()) fail(ExitCode::kTraceCorrupt, "trace damaged: cannot open {}: {}", path.string(), std::strerror(errno));
  struct stat st {};
  ::fstat(fd_.get(), &st);
  file_size_ = static_cast<std::uint64_t>(st.st_size);
  char magic[sizeof kFileMagic];
  if (read_at(fd_.get(), magic, sizeof magic, 0) != sizeof magic || std::memcmp(magic, kFileMagic, sizeof magic) != 0)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: {} is not an rr-test-runner event stream", path.string());
  offset_ = sizeof kFileMagic;
}

bool EventStreamReader::load_chunk() {
  if (offset_ == file_size_) return false;
  ChunkHeader h{};
  if (file_size_ - offset_ < sizeof h) {
    truncated_ = true;
    return false;
  }
  read_at(fd_.get(), &h, sizeof h, offset_);
  if (h.magic != kChunkMagic)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: bad chunk header at offset {} of {}", offset_, path_.string());
  if (h.compressed_size > file_size_ - offset_ - sizeof h) {
    truncated_ = true;
    return false;
  }
  std::string payload(h.compressed_size, '\0');
  read_at(fd_.get(), payload.data(), payload.size(), offset_ + sizeof h);
  if (chunk_checksum(h, payload) != h.checksum)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: chunk at offset {} of {} fails its checksum", offset_,
         path_.string());
  if (h.first_event != next_index_)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: chunk at offset {} starts at event {}, expected {}", offset_,
         h.first_event, next_index_);
  if (h.raw_size > (256u << 20)) fail(ExitCode::kTraceCorrupt, "trace corrupted: chunk of {} bytes", h.raw_size);
  chunk_ = zstd_decompress(payload, h.raw_size, "an events chunk");
  chunk_offset_ = offset_;
  chunk_pos_ = 0;
  chunk_left_ = h.events;
  offset_ += sizeof h + h.compressed_size;
  return true;
}

void EventStreamReader::seek(const Position& p) {
  if (p.chunk_offset != chunk_offset_ || chunk_.empty()) {
    // Reload the chunk that was current then (its checks run again; cheap).
    ChunkHeader h{};
    if (read_at(fd_.get(), &h, sizeof h, p.chunk_offset) != sizeof h)
      fail(ExitCode::kTraceCorrupt, "trace corrupted: cannot seek back to offset {}", p.chunk_offset);
    offset_ = p.chunk_offset;
    next_index_ = h.first_event;
    if (!load_chunk()) fail(ExitCode::kTraceCorrupt, "trace corrupted: cannot seek back to offset {}", p.chunk_offset);
  }
  chunk_pos_ = p.chunk_pos;
  chunk_left_ = p.chunk_left;
  next_index_ = p.next_index;
}

std::optional<Event> EventStreamReader::next() {
  while (chunk_left_ == 0) {
    if (chunk_pos_ != chunk_.size())
      fail(ExitCode::kTraceCorrupt, "trace corrupted: trailing bytes in chunk before event {}", next_index_);
    if (!load_chunk()) return std::nullopt;
  }
  ByteReader in(std::string_view(chunk_).substr(chunk_pos_), "event");
  Event e = decode_event(in);
  chunk_pos_ += in.pos();
  --chunk_left_;
  ++next_index_;
  return e;
}

}  // namespace rrtr
