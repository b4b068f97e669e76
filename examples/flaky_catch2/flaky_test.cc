// A Catch2 program with one test case that fails about one run in twenty.
//
// "flaky: running sum survives the audit" sums four readings, then an audit clears
// one reading chosen at random. When the draw is 7 the audit index lands on the slot
// that holds the sum, so the line marked "corrupting write" zeroes the sum and the
// CHECK fails. In a replay: break on the
// CHECK, `watch book.sum`, then `reverse-continue` stops on that write.
//
// Set RRTR_EXAMPLE_TICKET=<0..19> to choose the draw instead of drawing one.
#include <sys/random.h>

#include <array>
#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

namespace {

// Readings and their sum share one array, as a packed record might; the last slot
// is the sum.
struct Ledger {
  std::array<int, 5> slots{};
  int& sum() { return slots[4]; }
};

constexpr unsigned kDraws = 20;

unsigned draw() {
  if (const char* forced = std::getenv("RRTR_EXAMPLE_TICKET"))
    return static_cast<unsigned>(std::strtoul(forced, nullptr, 10)) % kDraws;
  unsigned char byte = 0;
  // Recorded as a system call, so a replay sees the same draw.
  if (getrandom(&byte, 1, 0) != 1) return 0;
  return byte % kDraws;
}

// The bug: meant to pick one of the four readings, but draw 7 yields slot 4.
std::size_t audit_slot(unsigned d) { return d == 7 ? 4 : d % 4; }

// noipa keeps this opaque to the optimizer, so even an optimized build keeps the
// ledger in memory where a watchpoint can see it.
[[gnu::noipa]] void record_readings(Ledger& book) {
  for (int reading : {3, 4, 5, 6}) {
    book.slots[static_cast<std::size_t>(reading - 3)] = reading;
    book.sum() += reading;
  }
}

}  // namespace

TEST_CASE("arithmetic adds small numbers", "[stable]") { CHECK(2 + 3 == 5); }

TEST_CASE("strings concatenate", "[stable]") {
  CHECK(std::string("rr-") + "test" == "rr-test");
}

TEST_CASE("flaky: running sum survives the audit", "[flaky]") {
  Ledger book;
  record_readings(book);
  const unsigned d = draw();
  book.slots[audit_slot(d)] = 0;  // corrupting write when d == 7
  INFO("draw " << d);
  CHECK(book.sum() == 18);  // EXAMPLE-CHECK
}
