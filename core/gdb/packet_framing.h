// The byte-level packet format: `$payload#cs`, the escaping of binary data, and an
// incremental decoder that turns a byte stream into packets, acks and interrupts. No
// I/O here, so every corner of the format can be tested byte by byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rrtr::gdb {

constexpr char kInterruptByte = '\x03';

// Modulo-256 sum of the payload bytes, as carried after the '#'.
std::uint8_t checksum(std::string_view payload);

// `$payload#cs`; the payload must already be escaped where it carries binary data.
std::string frame(std::string_view payload);

// Binary data inside a packet: '#', '$', '}' and '*' become '}' followed by the byte
// XOR 0x20 ('*' too, because gdb reads it as run-length encoding in replies).
std::string escape_binary(std::string_view bytes);
// The inverse; nullopt when the data ends in a lone '}'.
std::optional<std::string> unescape_binary(std::string_view escaped);

// Feeds on raw bytes from gdb and reports each complete unit of the protocol.
class FrameDecoder {
 public:
  // What one byte completed, if anything.
  struct Event {
    enum class Kind : std::uint8_t {
      kPacket,     // a whole `$...#cs`; see checksum_ok and oversized
      kInterrupt,  // 0x03 between packets
      kAck,        // '+'
      kNack,       // '-'
    };
    Kind kind = Kind::kPacket;
    std::string payload;      // kPacket only; empty when oversized
    bool checksum_ok = true;  // kPacket only
    bool oversized = false;   // kPacket only: the payload exceeded the limit and was dropped
  };

  // Payloads longer than `max_payload` are consumed but not kept, so a flood of bytes
  // cannot grow memory without bound.
  explicit FrameDecoder(std::size_t max_payload) : max_payload_(max_payload) {}

  std::optional<Event> feed(char byte);
  // True between packets, where bytes are acks, interrupts or noise.
  bool idle() const { return state_ == State::kIdle; }

 private:
  enum class State : std::uint8_t { kIdle, kPayload, kChecksumHigh, kChecksumLow };

  std::size_t max_payload_;
  State state_ = State::kIdle;
  std::string payload_;
  std::uint8_t sum_ = 0;
  bool oversized_ = false;
  int received_high_ = 0;
};

}  // namespace rrtr::gdb
