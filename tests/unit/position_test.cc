// Replay positions: counted ops and the prefix order that picks checkpoints.
#include <gtest/gtest.h>

#include "replay/position.h"

namespace rrtr {
namespace {

BreakpointSet at(std::uint64_t addr) {
  BreakpointSet s;
  s.software.insert(addr);
  return s;
}

Position pos(std::uint64_t boundary, std::vector<Op> ops) { return Position{boundary, std::move(ops)}; }

TEST(Position, EarlierBoundaryIsAPrefix) {
  EXPECT_TRUE(pos(3, {}).is_prefix_of(pos(4, {Op::step()})));
  EXPECT_FALSE(pos(4, {}).is_prefix_of(pos(3, {Op::step()})));
}

TEST(Position, FewerRunsOfTheLastOpIsAPrefix) {
  const Op loop = Op::resume(at(0x1000), 500);
  EXPECT_TRUE(pos(7, {loop.times(100)}).is_prefix_of(pos(7, {loop})));
  EXPECT_TRUE(pos(7, {loop.times(100)}).is_prefix_of(pos(7, {loop, Op::step()})));
  EXPECT_FALSE(pos(7, {loop}).is_prefix_of(pos(7, {loop.times(100)})));
}

TEST(Position, ACountedOpInsideIsNotAPrefixOfFewerRuns) {
  const Op loop = Op::resume(at(0x1000), 500);
  // Only the last op may be part-way: [c x100, s] does not lie on the way to [c x500].
  EXPECT_FALSE(pos(7, {loop.times(100), Op::step()}).is_prefix_of(pos(7, {loop})));
}

TEST(Position, DifferentSetsAreNotPrefixes) {
  EXPECT_FALSE(pos(7, {Op::resume(at(0x1000))}).is_prefix_of(pos(7, {Op::resume(at(0x2000), 3)})));
}

TEST(Op, CountIsPartOfEqualityButNotOfTheAction) {
  const Op a = Op::resume(at(0x1000), 2);
  EXPECT_TRUE(a.same_action(a.times(9)));
  EXPECT_FALSE(a == a.times(9));
  EXPECT_EQ(a.times(9).count, 9u);
}

}  // namespace
}  // namespace rrtr
