// The trace's meta.json as finish() writes it.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "common/files.h"
#include "common/unique_fd.h"
#include "temp_dir.h"
#include "trace/trace_dir.h"

namespace rrtr {
namespace {

nlohmann::json final_meta(const std::filesystem::path& trace) {
  return nlohmann::json::parse(read_file(trace / "meta.json").value());
}

// finish() makes meta.json while the writing thread writes the last events: a name that
// thread gives a file meanwhile (the start-up snapshot's, of a short program) is in it.
TEST(TraceWriter, AFileNamedWhileFinishingIsInTheFinalMeta) {
  TempDir tmp;
  write_private_file(tmp.path / "lib.so", "library bytes");
  TraceWriter trace(tmp.path / "trace", tmp.path / "blobs", nlohmann::json{{"argv", {"x"}}});
  UniqueFd fd(::open((tmp.path / "lib.so").c_str(), O_RDONLY | O_CLOEXEC));
  const BlobId id = trace.put_file_blob(fd.get(), "/lib/lib.so.1.2");
  trace.append_later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // past finish()'s first rendering
    trace.name_file("/lib/lib.so.1", id);
    return Event{Tid{1}, MarkerEvent{}};
  });
  trace.finish(true);
  const auto meta = final_meta(tmp.path / "trace");
  EXPECT_TRUE(meta["complete"]);
  EXPECT_EQ(meta["events"], 1);
  EXPECT_TRUE(meta["files"].contains("/lib/lib.so.1.2"));
  EXPECT_TRUE(meta["files"].contains("/lib/lib.so.1")) << meta["files"].dump();
}

// An event the writing thread cannot make leaves a trace that says so, though finish()
// had made meta.json as if all went well.
TEST(TraceWriter, AnEventTheWritingThreadCannotMakeMakesTheTraceIncomplete) {
  TempDir tmp;
  TraceWriter trace(tmp.path / "trace", tmp.path / "blobs", nlohmann::json{{"argv", {"x"}}});
  trace.append_later([]() -> Event {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    fail(ExitCode::kUnsupported, "the snapshot is too large");
  });
  EXPECT_THROW(trace.finish(true), Error);
  const auto meta = final_meta(tmp.path / "trace");
  EXPECT_FALSE(meta["complete"]);
  EXPECT_EQ(meta["incomplete_reason"], "the snapshot is too large");
}

}  // namespace
}  // namespace rrtr
