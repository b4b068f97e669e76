// Tests the Catch2 marker checks run; "// MARK:<id>" lines are located by the checks.
#include <cerrno>
#include <stdexcept>

#include <catch2/catch.hpp>

TEST_CASE("probe passes") { CHECK(1 + 1 == 2); }

TEST_CASE("probe fails") {
  const int four = 2 + 2;
  INFO("context \"quoted\"");
  CHECK(four == 5);  // MARK:fails
}

// Catch2 reports an escaped exception at the last assertion it saw, here the test
// case itself.
TEST_CASE("probe throws") {  // MARK:throws
  throw std::runtime_error("boom");
}

TEST_CASE("probe keeps errno") {
  errno = EDOM;
  CHECK(errno == 0);  // MARK:errno
  REQUIRE(errno == EDOM);
}

TEST_CASE("probe with sections") {
  SECTION("first") { CHECK(true); }
  SECTION("second") { CHECK(true); }
}
