#include "runtime/protocol/wire.h"

#include <gtest/gtest.h>

namespace rig::protocol {
namespace {

Message sample() {
  Message m(MessageType::Exec, 42);
  m.add("command", "printf 'a\\0b'");
  m.add("env", "A=1");
  m.add("env", "B=2");
  m.add("data", std::string("\0\x01\xff\n\r zero", 11));
  m.add("", "");
  return m;
}

TEST(Wire, RoundTripKeepsBinaryDataAndRepeatedKeys) {
  Message in = sample();
  std::string frame = encodeFrame(in);
  Message out;
  size_t consumed = 0;
  std::string error;
  ASSERT_EQ(decodeFrame(frame, out, consumed, error), DecodeStatus::Ok)
      << error;
  EXPECT_EQ(consumed, frame.size());
  EXPECT_EQ(out.type, MessageType::Exec);
  EXPECT_EQ(out.id, 42u);
  EXPECT_EQ(out.fields, in.fields);
  EXPECT_EQ(out.getAll("env"), (std::vector<std::string>{"A=1", "B=2"}));
  EXPECT_EQ(out.getOr("data"), std::string("\0\x01\xff\n\r zero", 11));
}

TEST(Wire, LengthPrefixIsLittleEndian) {
  Message m(MessageType::Hello, 0x01020304);
  std::string frame = encodeFrame(m);
  ASSERT_EQ(frame.size(), 4u + 9u);
  EXPECT_EQ(frame.substr(0, 4), std::string("\x09\x00\x00\x00", 4));
  EXPECT_EQ(frame[4], '\x01');
  EXPECT_EQ(frame.substr(5, 4), std::string("\x04\x03\x02\x01", 4));
}

TEST(Wire, EveryTruncationNeedsMore) {
  std::string frame = encodeFrame(sample());
  for (size_t n = 0; n < frame.size(); ++n) {
    Message out;
    size_t consumed = 0;
    std::string error;
    EXPECT_EQ(
        decodeFrame(std::string_view(frame).substr(0, n), out, consumed, error),
        DecodeStatus::NeedMore)
        << "prefix of " << n << " bytes";
  }
}

TEST(Wire, OversizeFrameIsRejectedBeforeItArrives) {
  std::string header("\xff\xff\xff\x7f", 4);
  Message out;
  size_t consumed = 0;
  std::string error;
  EXPECT_EQ(decodeFrame(header, out, consumed, error), DecodeStatus::Invalid);
  EXPECT_EQ(error, "frame of 2147483647 bytes exceeds the limit of 268435456");
}

TEST(Wire, MalformedPayloadsAreRejected) {
  Message out;
  std::string error;
  EXPECT_FALSE(decodePayload(std::string("\x01\0\0", 3), out, error));
  EXPECT_EQ(error,
            "payload of 3 bytes is shorter than the 9-byte message header");
  EXPECT_FALSE(
      decodePayload(std::string("\x63\0\0\0\0\0\0\0\0", 9), out, error));
  EXPECT_EQ(error, "unknown message type 99");
  EXPECT_FALSE(decodePayload(std::string("\x01\0\0\0\0\xff\xff\xff\xff", 9),
                             out, error));
  EXPECT_EQ(error, "field count 4294967295 does not fit the payload");
  // One field whose key claims 100 bytes.
  std::string bad("\x01\0\0\0\0\x01\0\0\0\x64\0\0\0\0\0\0\0", 17);
  EXPECT_FALSE(decodePayload(bad, out, error));
  EXPECT_EQ(error, "field 0 is truncated");
  std::string stray = encodePayload(Message(MessageType::Hello, 1)) + "x";
  EXPECT_FALSE(decodePayload(stray, out, error));
  EXPECT_EQ(error, "1 stray bytes after the fields");
}

TEST(Wire, FrameReaderSplitsAStreamAtAnyByte) {
  Message a = sample(), b(MessageType::Response, 7);
  b.add("stdout", std::string(100000, '\0'));
  std::string stream = encodeFrame(a) + encodeFrame(b) + encodeFrame(a);
  for (size_t step : {1u, 3u, 4096u, 1000000u}) {
    FrameReader reader;
    std::vector<Message> got;
    for (size_t pos = 0; pos < stream.size(); pos += step) {
      reader.append(stream.data() + pos, std::min(step, stream.size() - pos));
      Message m;
      std::string error;
      DecodeStatus s;
      while ((s = reader.next(m, error)) == DecodeStatus::Ok) got.push_back(m);
      ASSERT_EQ(s, DecodeStatus::NeedMore) << error;
    }
    ASSERT_EQ(got.size(), 3u) << "step " << step;
    EXPECT_EQ(got[1].getOr("stdout").size(), 100000u);
    EXPECT_EQ(got[2].fields, a.fields);
    EXPECT_EQ(reader.buffered(), 0u);
  }
}

TEST(Wire, IntegersAndFallbacks) {
  Message m;
  m.addInt("status", -137).add("bad", "12x").add("empty", "");
  EXPECT_EQ(m.getInt("status"), -137);
  EXPECT_EQ(m.getInt("bad", 5), 5);
  EXPECT_EQ(m.getInt("empty", 6), 6);
  EXPECT_EQ(m.getInt("missing", 7), 7);
  EXPECT_EQ(makeError(Message(MessageType::Exec, 9), "boom").getOr("error"),
            "boom");
  EXPECT_EQ(makeError(Message(MessageType::Exec, 9), "boom").id, 9u);
}

TEST(Wire, PercentEncoding) {
  EXPECT_EQ(percentEncode("a b%c\nd"), "a%20b%25c%0Ad");
  std::string out;
  ASSERT_TRUE(percentDecode("a%20b%25c%0ad", out));
  EXPECT_EQ(out, "a b%c\nd");
  EXPECT_FALSE(percentDecode("bad%2", out));
  EXPECT_FALSE(percentDecode("bad%zz", out));
  EXPECT_FALSE(percentDecode("%", out));
}

}  // namespace
}  // namespace rig::protocol
