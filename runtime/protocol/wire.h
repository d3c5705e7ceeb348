// The agent protocol's wire format (README.md in this folder). Shared by the
// host (agent_client) and the static guest (rig-guest): depends on nothing
// but the C++ standard library and libc.
//
// frame   = u32 payload length (LE) + payload
// payload = u8 type, u32 id (LE), u32 field count (LE),
//           fields: u32 key length, key, u32 value length, value (all LE)
// Keys may repeat (env, header); values are arbitrary bytes.
#ifndef RIG_RUNTIME_PROTOCOL_WIRE_H
#define RIG_RUNTIME_PROTOCOL_WIRE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rig::protocol {

// Bumped on any incompatible change; the host refuses another version.
inline constexpr int64_t kProtocolVersion = 1;
// Larger frames are refused by both sides (a file transfer or a command's
// output is limited to this).
inline constexpr uint32_t kMaxFrameBytes = 256u << 20;
inline constexpr size_t kFrameHeaderBytes = 4;
// What one stream of a command (stdout, stderr), a file read from the guest
// or an HTTP body may carry by default (`max_output` in rig.toml), and the
// least and most it may be set to (on a call or in rig.toml): two full
// streams must fit in one frame.
inline constexpr uint64_t kDefaultMaxOutputBytes = 64ull << 20;
inline constexpr uint64_t kMinOutputLimit = 4ull << 10;
inline constexpr uint64_t kMaxOutputLimit = 120ull << 20;

enum class MessageType : uint8_t {
  Hello = 1,  // -> version, agent, hostname, systemd
  Exec =
      2,  // command, env*, timeout_ms, max_output -> status, timed_out, stdout, stderr, overflow
  TcpCheck = 3,   // address, port, timeout_ms -> open
  UnixCheck = 4,  // path -> open
  ReadFile = 5,   // path, max_bytes -> data
  WriteFile = 6,  // path, data, mode -> (nothing)
  Http =
      7,  // method, url, header*, body, timeout_ms, max_bytes -> status, header*, body
  Shutdown = 8,  // action ("poweroff" | "reboot") -> (nothing)
  Response =
      0x80,  // the answer to the request with the same id; `error` on failure
};

const char* messageTypeName(MessageType type);

struct Message {
  MessageType type = MessageType::Hello;
  uint32_t id = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // in order

  Message() = default;
  Message(MessageType type, uint32_t id) : type(type), id(id) {}

  // Appends (keys may repeat).
  Message& add(std::string_view key, std::string_view value);
  // Appends without copying `value` (large outputs).
  Message& addMoved(std::string_view key, std::string&& value);
  Message& addInt(std::string_view key, int64_t value);
  // The first field named `key`, or nullptr.
  const std::string* get(std::string_view key) const;
  std::string getOr(std::string_view key, std::string_view fallback = {}) const;
  // Moves the first `key` value out (large data), "" when absent.
  std::string take(std::string_view key);
  // Decimal integer value; `fallback` when absent or malformed.
  int64_t getInt(std::string_view key, int64_t fallback = 0) const;
  std::vector<std::string> getAll(std::string_view key) const;
  bool has(std::string_view key) const { return get(key) != nullptr; }
};

// A response for `request`'s id.
Message makeResponse(const Message& request);
Message makeError(const Message& request, std::string_view text);

std::string encodePayload(const Message& message);
// Length prefix + payload.
std::string encodeFrame(const Message& message);

// Decodes one payload (no length prefix). On failure returns false and sets
// `error`.
bool decodePayload(std::string_view payload, Message& out, std::string& error);

enum class DecodeStatus : uint8_t { Ok, NeedMore, Invalid };

// Decodes the frame at the start of `buffer`. Ok: `out` is set and
// `consumed` is the frame's size. NeedMore: the buffer holds a prefix of a
// frame. Invalid: oversize or malformed (`error` says why); the stream can
// not be trusted after that.
DecodeStatus decodeFrame(std::string_view buffer, Message& out,
                         size_t& consumed, std::string& error);

// Accumulates bytes from a stream and yields whole messages.
class FrameReader {
 public:
  void append(const char* data, size_t size) { buffer_.append(data, size); }
  // Ok: one message taken from the buffer.
  DecodeStatus next(Message& out, std::string& error);
  size_t buffered() const { return buffer_.size() - offset_; }
  void clear() {
    buffer_.clear();
    offset_ = 0;
  }

 private:
  std::string buffer_;
  size_t offset_ = 0;
};

// Blocking write of all of `data`, retrying on EINTR/partial writes and
// waiting with poll() on EAGAIN. False on error (errno set).
bool writeAll(int fd, std::string_view data);

// Percent-encoding used by the node manifest and handy for logs: encodes
// `%`, space, newline (and CR, tab) as %XX; decode accepts any %XX.
std::string percentEncode(std::string_view text);
bool percentDecode(std::string_view text, std::string& out);

}  // namespace rig::protocol

#endif
