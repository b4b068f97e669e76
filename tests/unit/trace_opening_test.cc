// The trace directory made on a helper thread: what it made, or what it threw, every time.
#include <gtest/gtest.h>
#include <pthread.h>

#include "common/cpu_sets.h"
#include "common/error.h"
#include "record/trace_opening.h"
#include "temp_dir.h"

namespace rrtr {
namespace {

TEST(TraceOpening, GetGivesTheWriterTheThreadMade) {
  TempDir tmp;
  pthread_t opener{};
  TraceOpening opening(
      [&] {
        opener = pthread_self();
        return std::make_unique<TraceWriter>(tmp.path / "trace", tmp.path / "blobs", nlohmann::json{{"argv", {"x"}}});
      },
      current_cpus());
  TraceWriter& trace = opening.get();
  EXPECT_FALSE(pthread_equal(opener, pthread_self())) << "made on its own thread";
  EXPECT_EQ(&opening.get(), &trace);
  EXPECT_EQ(trace.meta()["argv"], nlohmann::json({"x"}));
  EXPECT_TRUE(std::filesystem::exists(tmp.path / "trace" / "meta.json"));
}

TEST(TraceOpening, WhatOpeningThrewIsThrownAtEveryGet) {
  TraceOpening opening([]() -> std::unique_ptr<TraceWriter> { fail(ExitCode::kBadInput, "cannot create directory x"); },
                       current_cpus());
  for (int i = 0; i < 2; ++i) {
    try {
      opening.get();
      FAIL() << "get() " << i << " returned";
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), ExitCode::kBadInput);
      EXPECT_STREQ(e.what(), "cannot create directory x");
    }
  }
}

TEST(CpuSets, BesideTheBusyOnesOrAllWhenNoneIsLeft) {
  cpu_set_t allowed, busy;
  CPU_ZERO(&allowed);
  CPU_SET(0, &allowed);
  CPU_SET(1, &allowed);
  CPU_SET(2, &allowed);
  CPU_ZERO(&busy);
  CPU_SET(1, &busy);
  CPU_SET(5, &busy);  // not allowed anyway
  const cpu_set_t beside = cpus_beside(allowed, busy);
  EXPECT_EQ(CPU_COUNT(&beside), 2);
  EXPECT_TRUE(CPU_ISSET(0, &beside) && CPU_ISSET(2, &beside));
  const cpu_set_t none_left = cpus_beside(busy, busy);
  EXPECT_TRUE(CPU_EQUAL(&none_left, &busy));
}

TEST(CpuSets, LeastUsedSpreadsConcurrentRecorders) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  CPU_SET(1, &allowed);
  CPU_SET(3, &allowed);
  EXPECT_EQ(least_used_cpu(allowed, {}), 1);
  const int one_on_1[] = {1};
  EXPECT_EQ(least_used_cpu(allowed, one_on_1), 3);
  const int one_each_and_unpinned[] = {3, 1, -1, 3};
  EXPECT_EQ(least_used_cpu(allowed, one_each_and_unpinned), 1);
  cpu_set_t none;
  CPU_ZERO(&none);
  EXPECT_EQ(least_used_cpu(none, {}), -1);
}

}  // namespace
}  // namespace rrtr
