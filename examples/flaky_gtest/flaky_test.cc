// A Google Test program with one test that fails about one run in twenty.
//
// FlakyTest.SometimesCorrupts restocks a shelf chosen by a random ticket. Ticket 13
// makes pick_shelf() return the pears shelf instead of the apples shelf, so the
// subtraction marked "corrupting write" below lowers inv.pears and the EXPECT on
// pears fails. In a replay: break on the failing EXPECT, `watch inv.pears`, then
// `reverse-continue` stops on that write.
//
// Set RRTR_EXAMPLE_TICKET=<0..19> to choose the ticket instead of drawing one.
#include <sys/random.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace {

struct Inventory {
  int apples = 10;
  int pears = 10;
};

constexpr unsigned kTickets = 20;
constexpr unsigned kUnluckyTicket = 13;

unsigned draw_ticket() {
  if (const char* forced = std::getenv("RRTR_EXAMPLE_TICKET"))
    return static_cast<unsigned>(std::strtoul(forced, nullptr, 10)) % kTickets;
  unsigned char byte = 0;
  // getrandom is a plain system call, so the recorder captures its result and a
  // replay draws the same ticket.
  if (getrandom(&byte, 1, 0) != 1) return 0;
  return byte % kTickets;
}

// The bug: a lookup that is right for every ticket but one. noipa keeps it opaque to
// the optimizer, so even an optimized build keeps `inv` in memory where a watchpoint
// can see it, and the corrupting write stays a real store.
[[gnu::noipa]] int* pick_shelf(Inventory& inv, unsigned ticket) {
  return ticket == kUnluckyTicket ? &inv.pears : &inv.apples;
}

TEST(Arithmetic, AddsSmallNumbers) { EXPECT_EQ(2 + 3, 5); }

TEST(Arithmetic, MultipliesSmallNumbers) { EXPECT_EQ(4 * 6, 24); }

TEST(Strings, ConcatenatesWords) { EXPECT_EQ(std::string("rr-") + "test", "rr-test"); }

TEST(FlakyTest, SometimesCorrupts) {
  Inventory inv;
  const unsigned ticket = draw_ticket();
  int* shelf = pick_shelf(inv, ticket);
  *shelf -= 3;  // corrupting write when ticket == kUnluckyTicket
  inv.apples += 3;
  const int total = inv.apples + inv.pears;
  EXPECT_EQ(inv.pears, 10) << "ticket " << ticket << ", total " << total;  // EXAMPLE-CHECK
}

}  // namespace
