// Packet framing, escaping and the incremental decoder, byte by byte.
#include <gtest/gtest.h>

#include "gdb/hex.h"
#include "gdb/packet_framing.h"

namespace rrtr::gdb {
namespace {

using Kind = FrameDecoder::Event::Kind;

std::vector<FrameDecoder::Event> decode(FrameDecoder& decoder, std::string_view bytes) {
  std::vector<FrameDecoder::Event> events;
  for (char c : bytes) {
    if (auto e = decoder.feed(c)) events.push_back(std::move(*e));
  }
  return events;
}

TEST(Framing, ChecksumIsByteSumModulo256) {
  EXPECT_EQ(checksum(""), 0);
  EXPECT_EQ(checksum("OK"), 0x9a);
  EXPECT_EQ(checksum(std::string(300, '\xff')), (300 * 0xff) & 0xff);
}

TEST(Framing, FrameAddsDollarHashAndTwoHexDigits) {
  EXPECT_EQ(frame("OK"), "$OK#9a");
  EXPECT_EQ(frame(""), "$#00");
  EXPECT_EQ(frame("g"), "$g#67");
}

TEST(Framing, EscapesTheFourSpecialBytes) {
  EXPECT_EQ(escape_binary("a#b$c}d*e"), "a}\x03" "b}\x04" "c}]d}\x0a" "e");
  EXPECT_EQ(escape_binary(std::string("\0\x03", 2)), std::string("\0\x03", 2));
}

TEST(Framing, UnescapeInvertsEscapeForEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  auto back = unescape_binary(escape_binary(all));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, all);
  EXPECT_FALSE(unescape_binary("abc}"));
  EXPECT_EQ(unescape_binary("}]"), "}");
}

TEST(Framing, DecoderYieldsPacketsAcksAndInterrupts) {
  FrameDecoder decoder(100);
  auto events = decode(decoder, "+$OK#9a-\x03noise$g#67");
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].kind, Kind::kAck);
  EXPECT_EQ(events[1].kind, Kind::kPacket);
  EXPECT_EQ(events[1].payload, "OK");
  EXPECT_TRUE(events[1].checksum_ok);
  EXPECT_EQ(events[2].kind, Kind::kNack);
  EXPECT_EQ(events[3].kind, Kind::kInterrupt);
  EXPECT_EQ(events[4].payload, "g");
  EXPECT_TRUE(decoder.idle());
}

TEST(Framing, DecoderFlagsBadChecksums) {
  FrameDecoder decoder(100);
  auto events = decode(decoder, "$OK#00$OK#zz$OK#9A");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_FALSE(events[0].checksum_ok);
  EXPECT_FALSE(events[1].checksum_ok);
  EXPECT_TRUE(events[2].checksum_ok);  // hex digits in either case
}

TEST(Framing, InterruptByteInsideAPayloadIsData) {
  FrameDecoder decoder(100);
  std::string packet = frame(std::string("X0,1:\x03", 6));
  auto events = decode(decoder, packet);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, std::string("X0,1:\x03", 6));
}

TEST(Framing, DollarInsidePayloadRestartsThePacket) {
  FrameDecoder decoder(100);
  auto events = decode(decoder, "$trunc$OK#9a");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, "OK");
  EXPECT_TRUE(events[0].checksum_ok);
}

TEST(Framing, OversizedPayloadIsDroppedButFramed) {
  FrameDecoder decoder(8);
  std::string big(1000, 'a');
  auto events = decode(decoder, frame(big) + frame("OK"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].oversized);
  EXPECT_TRUE(events[0].payload.empty());
  EXPECT_TRUE(events[0].checksum_ok);
  EXPECT_FALSE(events[1].oversized);
  EXPECT_EQ(events[1].payload, "OK");
}

TEST(Hex, ParsesAndRejects) {
  EXPECT_EQ(parse_hex_u64("ff"), 0xffu);
  EXPECT_EQ(parse_hex_u64("FFFFFFFFFFFFFFFF"), ~0ull);
  EXPECT_FALSE(parse_hex_u64(""));
  EXPECT_FALSE(parse_hex_u64("1ffffffffffffffff"));
  EXPECT_FALSE(parse_hex_u64("12g"));
  EXPECT_FALSE(parse_hex_u64("-1"));
  EXPECT_EQ(hex_decode("4f4B"), "OK");
  EXPECT_FALSE(hex_decode("4"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_EQ(hex_encode(std::string("\x00\xff", 2)), "00ff");
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string_view>{"a", "", "b"}));
}

}  // namespace
}  // namespace rrtr::gdb
