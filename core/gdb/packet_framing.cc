#include "gdb/packet_framing.h"

#include <fmt/format.h>

#include "gdb/hex.h"

namespace rrtr::gdb {

namespace {

bool needs_escape(char c) { return c == '#' || c == '$' || c == '}' || c == '*'; }

FrameDecoder::Event event_of(FrameDecoder::Event::Kind kind) {
  FrameDecoder::Event event;
  event.kind = kind;
  return event;
}

}  // namespace

std::uint8_t checksum(std::string_view payload) {
  std::uint8_t sum = 0;
  for (char c : payload) sum = static_cast<std::uint8_t>(sum + static_cast<unsigned char>(c));
  return sum;
}

std::string frame(std::string_view payload) {
  return fmt::format("${}#{:02x}", payload, checksum(payload));
}

std::string escape_binary(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    if (needs_escape(c)) {
      out.push_back('}');
      out.push_back(static_cast<char>(c ^ 0x20));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> unescape_binary(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '}') {
      out.push_back(escaped[i]);
      continue;
    }
    if (++i == escaped.size()) return std::nullopt;
    out.push_back(static_cast<char>(escaped[i] ^ 0x20));
  }
  return out;
}

std::optional<FrameDecoder::Event> FrameDecoder::feed(char byte) {
  switch (state_) {
    case State::kIdle:
      switch (byte) {
        case '$':
          state_ = State::kPayload;
          payload_.clear();
          sum_ = 0;
          oversized_ = false;
          return std::nullopt;
        case kInterruptByte: return event_of(Event::Kind::kInterrupt);
        case '+': return event_of(Event::Kind::kAck);
        case '-': return event_of(Event::Kind::kNack);
        default: return std::nullopt;  // line noise between packets
      }
    case State::kPayload:
      if (byte == '$') {
        // A '$' never occurs unescaped inside a payload: the previous packet was cut
        // short, so resynchronise on the new one.
        payload_.clear();
        sum_ = 0;
        oversized_ = false;
        return std::nullopt;
      }
      if (byte == '#') {
        state_ = State::kChecksumHigh;
        return std::nullopt;
      }
      sum_ = static_cast<std::uint8_t>(sum_ + static_cast<unsigned char>(byte));
      if (oversized_) return std::nullopt;
      if (payload_.size() < max_payload_) {
        payload_.push_back(byte);
      } else {
        oversized_ = true;
        payload_.clear();
        payload_.shrink_to_fit();
      }
      return std::nullopt;
    case State::kChecksumHigh:
      received_high_ = hex_digit_value(byte);
      state_ = State::kChecksumLow;
      return std::nullopt;
    case State::kChecksumLow: {
      int low = hex_digit_value(byte);
      state_ = State::kIdle;
      Event event = event_of(Event::Kind::kPacket);
      event.checksum_ok = received_high_ >= 0 && low >= 0 && ((received_high_ << 4) | low) == sum_;
      event.oversized = oversized_;
      if (!oversized_) event.payload = std::move(payload_);
      payload_.clear();
      return event;
    }
  }
  return std::nullopt;
}

}  // namespace rrtr::gdb
