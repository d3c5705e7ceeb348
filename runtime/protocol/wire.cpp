#include "runtime/protocol/wire.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace rig::protocol {
namespace {

void putU32(std::string& out, uint32_t v) {
  char b[4] = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
               static_cast<char>((v >> 16) & 0xff),
               static_cast<char>((v >> 24) & 0xff)};
  out.append(b, 4);
}

uint32_t getU32(const char* p) {
  auto u = [&](int i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(p[i]));
  };
  return u(0) | (u(1) << 8) | (u(2) << 16) | (u(3) << 24);
}

bool validType(uint8_t t) { return (t >= 1 && t <= 8) || t == 0x80; }

}  // namespace

const char* messageTypeName(MessageType type) {
  switch (type) {
    case MessageType::Hello: return "hello";
    case MessageType::Exec: return "exec";
    case MessageType::TcpCheck: return "tcp-check";
    case MessageType::UnixCheck: return "unix-check";
    case MessageType::ReadFile: return "read-file";
    case MessageType::WriteFile: return "write-file";
    case MessageType::Http: return "http";
    case MessageType::Shutdown: return "shutdown";
    case MessageType::Response: return "response";
  }
  return "unknown";
}

Message& Message::add(std::string_view key, std::string_view value) {
  fields.emplace_back(std::string(key), std::string(value));
  return *this;
}

Message& Message::addMoved(std::string_view key, std::string&& value) {
  fields.emplace_back(std::string(key), std::move(value));
  return *this;
}

std::string Message::take(std::string_view key) {
  for (auto& [k, v] : fields)
    if (k == key) return std::move(v);
  return {};
}

Message& Message::addInt(std::string_view key, int64_t value) {
  return add(key, std::to_string(value));
}

const std::string* Message::get(std::string_view key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

std::string Message::getOr(std::string_view key,
                           std::string_view fallback) const {
  const std::string* v = get(key);
  return v ? *v : std::string(fallback);
}

int64_t Message::getInt(std::string_view key, int64_t fallback) const {
  const std::string* v = get(key);
  if (!v || v->empty()) return fallback;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) return fallback;
  return out;
}

std::vector<std::string> Message::getAll(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (k == key) out.push_back(v);
  return out;
}

Message makeResponse(const Message& request) {
  return Message(MessageType::Response, request.id);
}

Message makeError(const Message& request, std::string_view text) {
  Message m = makeResponse(request);
  m.add("error", text);
  return m;
}

namespace {

size_t payloadSize(const Message& message) {
  size_t size = 9;
  for (const auto& [k, v] : message.fields) size += 8 + k.size() + v.size();
  return size;
}

void appendPayload(std::string& out, const Message& message) {
  out.push_back(static_cast<char>(message.type));
  putU32(out, message.id);
  putU32(out, static_cast<uint32_t>(message.fields.size()));
  for (const auto& [k, v] : message.fields) {
    putU32(out, static_cast<uint32_t>(k.size()));
    out += k;
    putU32(out, static_cast<uint32_t>(v.size()));
    out += v;
  }
}

}  // namespace

std::string encodePayload(const Message& message) {
  std::string out;
  out.reserve(payloadSize(message));
  appendPayload(out, message);
  return out;
}

// One allocation of the frame's size: a guest answering with a large output
// holds that output and its frame, not a third copy.
std::string encodeFrame(const Message& message) {
  size_t size = payloadSize(message);
  std::string out;
  out.reserve(size + kFrameHeaderBytes);
  putU32(out, static_cast<uint32_t>(size));
  appendPayload(out, message);
  return out;
}

bool decodePayload(std::string_view payload, Message& out, std::string& error) {
  if (payload.size() < 9) {
    error = "payload of " + std::to_string(payload.size()) +
            " bytes is shorter than the 9-byte message header";
    return false;
  }
  uint8_t type = static_cast<uint8_t>(payload[0]);
  if (!validType(type)) {
    error = "unknown message type " + std::to_string(type);
    return false;
  }
  out.type = static_cast<MessageType>(type);
  out.id = getU32(payload.data() + 1);
  uint32_t count = getU32(payload.data() + 5);
  out.fields.clear();
  size_t pos = 9;
  // Each field needs at least 8 bytes: a huge count is caught before reserving.
  if (count > (payload.size() - pos) / 8) {
    error =
        "field count " + std::to_string(count) + " does not fit the payload";
    return false;
  }
  out.fields.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view parts[2];
    for (auto& part : parts) {
      if (payload.size() - pos < 4) {
        error = "field " + std::to_string(i) + " is truncated";
        return false;
      }
      uint32_t len = getU32(payload.data() + pos);
      pos += 4;
      if (payload.size() - pos < len) {
        error = "field " + std::to_string(i) + " is truncated";
        return false;
      }
      part = payload.substr(pos, len);
      pos += len;
    }
    out.fields.emplace_back(std::string(parts[0]), std::string(parts[1]));
  }
  if (pos != payload.size()) {
    error =
        std::to_string(payload.size() - pos) + " stray bytes after the fields";
    return false;
  }
  return true;
}

DecodeStatus decodeFrame(std::string_view buffer, Message& out,
                         size_t& consumed, std::string& error) {
  if (buffer.size() < kFrameHeaderBytes) return DecodeStatus::NeedMore;
  uint32_t len = getU32(buffer.data());
  if (len > kMaxFrameBytes) {
    error = "frame of " + std::to_string(len) + " bytes exceeds the limit of " +
            std::to_string(kMaxFrameBytes);
    return DecodeStatus::Invalid;
  }
  if (buffer.size() - kFrameHeaderBytes < len) return DecodeStatus::NeedMore;
  if (!decodePayload(buffer.substr(kFrameHeaderBytes, len), out, error))
    return DecodeStatus::Invalid;
  consumed = kFrameHeaderBytes + len;
  return DecodeStatus::Ok;
}

DecodeStatus FrameReader::next(Message& out, std::string& error) {
  size_t consumed = 0;
  std::string_view view(buffer_);
  view.remove_prefix(offset_);
  DecodeStatus status = decodeFrame(view, out, consumed, error);
  if (status == DecodeStatus::Ok) {
    offset_ += consumed;
    if (offset_ == buffer_.size()) {
      buffer_.clear();
      offset_ = 0;
    } else if (offset_ > (1u << 20) && offset_ > buffer_.size() / 2) {
      buffer_.erase(0, offset_);
      offset_ = 0;
    }
  }
  return status;
}

bool writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd p = {fd, POLLOUT, 0};
        ::poll(&p, 1, 1000);
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string percentEncode(std::string_view text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      out.push_back('%');
      out.push_back(hex[static_cast<uint8_t>(c) >> 4]);
      out.push_back(hex[static_cast<uint8_t>(c) & 15]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool percentDecode(std::string_view text, std::string& out) {
  out.clear();
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int hi = digit(text[i + 1]), lo = digit(text[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

}  // namespace rig::protocol
