#include "runtime/guest/http.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

#include "runtime/guest/net.h"
#include "runtime/guest/sys.h"

namespace rig::guest {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool hasHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (lower(k) == name) return true;
  return false;
}

const std::string* findHeader(const HttpHeaders& headers,
                              std::string_view name) {
  for (const auto& [k, v] : headers)
    if (k == name) return &v;
  return nullptr;
}

bool parseSize(std::string_view text, int base, size_t& out) {
  text = trim(text);
  if (text.empty() || text.size() > 15) return false;
  size_t v = 0;
  for (char c : text) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    if (d >= base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

// Decodes a chunked body starting at `pos`. Done when the final chunk and
// its trailers are complete.
HttpParseStatus decodeChunked(std::string_view buffer, size_t pos,
                              std::string& body, std::string& error) {
  body.clear();
  for (;;) {
    size_t eol = buffer.find("\r\n", pos);
    if (eol == std::string_view::npos) return HttpParseStatus::NeedMore;
    std::string_view sizeLine = buffer.substr(pos, eol - pos);
    size_t semi = sizeLine.find(';');
    if (semi != std::string_view::npos) sizeLine = sizeLine.substr(0, semi);
    size_t size = 0;
    if (!parseSize(sizeLine, 16, size)) {
      error = "bad chunk size `" + std::string(sizeLine) + "`";
      return HttpParseStatus::Invalid;
    }
    pos = eol + 2;
    if (size == 0) {
      // Trailers end with an empty line.
      for (;;) {
        size_t end = buffer.find("\r\n", pos);
        if (end == std::string_view::npos) return HttpParseStatus::NeedMore;
        if (end == pos) return HttpParseStatus::Done;
        pos = end + 2;
      }
    }
    if (buffer.size() - pos < size + 2) return HttpParseStatus::NeedMore;
    body.append(buffer.substr(pos, size));
    pos += size;
    if (buffer.substr(pos, 2) != "\r\n") {
      error = "chunk not followed by CRLF";
      return HttpParseStatus::Invalid;
    }
    pos += 2;
  }
}

}  // namespace

bool parseHttpUrl(std::string_view url, HttpUrl& out, std::string& error) {
  out = HttpUrl();
  constexpr std::string_view scheme = "http://";
  if (lower(url.substr(0, scheme.size())) != scheme) {
    error = "only http:// URLs are supported: `" + std::string(url) + "`";
    return false;
  }
  std::string_view rest = url.substr(scheme.size());
  size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view target = rest.substr(slash);
    size_t hash = target.find('#');
    if (hash != std::string_view::npos) target = target.substr(0, hash);
    out.target = target.empty() || target.front() != '/'
                     ? "/" + std::string(target)
                     : std::string(target);
  }
  if (authority.find('@') != std::string_view::npos) {
    error = "user info in URLs is not supported: `" + std::string(url) + "`";
    return false;
  }
  out.hostHeader = std::string(authority);
  std::string_view portText;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unclosed `[` in `" + std::string(url) + "`";
      return false;
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "bad authority in `" + std::string(url) + "`";
        return false;
      }
      portText = after.substr(1);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
  }
  if (out.host.empty()) {
    error = "no host in `" + std::string(url) + "`";
    return false;
  }
  if (!portText.empty()) {
    size_t port = 0;
    if (!parseSize(portText, 10, port) || port == 0 || port > 65535) {
      error = "bad port `" + std::string(portText) + "` in `" +
              std::string(url) + "`";
      return false;
    }
    out.port = static_cast<int>(port);
  }
  return true;
}

std::string buildHttpRequest(std::string_view method, const HttpUrl& url,
                             const HttpHeaders& headers,
                             std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(url.target).append(" HTTP/1.1\r\n");
  if (!hasHeader(headers, "host"))
    out.append("Host: ").append(url.hostHeader).append("\r\n");
  bool bodyMethod = method == "POST" || method == "PUT" || method == "PATCH";
  if (!hasHeader(headers, "content-length") &&
      !hasHeader(headers, "transfer-encoding") && (!body.empty() || bodyMethod))
    out.append("Content-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  if (!hasHeader(headers, "connection")) out.append("Connection: close\r\n");
  if (!hasHeader(headers, "user-agent"))
    out.append("User-Agent: rig-guest\r\n");
  for (const auto& [k, v] : headers)
    out.append(k).append(": ").append(v).append("\r\n");
  out.append("\r\n");
  out.append(body);
  return out;
}

HttpParseStatus parseHttpResponse(std::string_view buffer, bool eof,
                                  bool noBody, HttpParsedResponse& out,
                                  std::string& error) {
  size_t start = 0;
  for (;;) {
    size_t headEnd = buffer.find("\r\n\r\n", start);
    if (headEnd == std::string_view::npos) {
      if (eof) {
        error = buffer.size() == start
                    ? "the server closed the connection without a response"
                    : "the response headers are truncated";
        return HttpParseStatus::Invalid;
      }
      return HttpParseStatus::NeedMore;
    }
    std::string_view head = buffer.substr(start, headEnd - start);
    size_t bodyStart = headEnd + 4;
    out = HttpParsedResponse();
    size_t eol = head.find("\r\n");
    std::string_view statusLine = head.substr(0, eol);
    if (statusLine.substr(0, 5) != "HTTP/" || statusLine.size() < 12 ||
        statusLine[8] != ' ') {
      error = "bad status line `" + std::string(statusLine) + "`";
      return HttpParseStatus::Invalid;
    }
    size_t code = 0;
    if (!parseSize(statusLine.substr(9, 3), 10, code)) {
      error = "bad status line `" + std::string(statusLine) + "`";
      return HttpParseStatus::Invalid;
    }
    out.status = static_cast<int>(code);
    std::string_view rest = eol == std::string_view::npos
                                ? std::string_view()
                                : head.substr(eol + 2);
    while (!rest.empty()) {
      size_t e = rest.find("\r\n");
      std::string_view line = rest.substr(0, e);
      rest.remove_prefix(e == std::string_view::npos ? rest.size() : e + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        error = "bad header line `" + std::string(line) + "`";
        return HttpParseStatus::Invalid;
      }
      out.headers.emplace_back(lower(trim(line.substr(0, colon))),
                               std::string(trim(line.substr(colon + 1))));
    }
    if (out.status >= 100 && out.status < 200) {  // 100 Continue and friends
      start = bodyStart;
      continue;
    }
    if (noBody || out.status == 204 || out.status == 304)
      return HttpParseStatus::Done;
    const std::string* te = findHeader(out.headers, "transfer-encoding");
    if (te && lower(*te).find("chunked") != std::string::npos) {
      HttpParseStatus s = decodeChunked(buffer, bodyStart, out.body, error);
      if (s == HttpParseStatus::NeedMore && eof) {
        error = "the chunked body is truncated";
        return HttpParseStatus::Invalid;
      }
      return s;
    }
    if (const std::string* cl = findHeader(out.headers, "content-length")) {
      size_t length = 0;
      if (!parseSize(*cl, 10, length)) {
        error = "bad content-length `" + *cl + "`";
        return HttpParseStatus::Invalid;
      }
      if (buffer.size() - bodyStart < length) {
        if (eof) {
          error = "the body is truncated: " +
                  std::to_string(buffer.size() - bodyStart) + " of " +
                  std::to_string(length) + " bytes";
          return HttpParseStatus::Invalid;
        }
        return HttpParseStatus::NeedMore;
      }
      out.body = std::string(buffer.substr(bodyStart, length));
      return HttpParseStatus::Done;
    }
    if (!eof) return HttpParseStatus::NeedMore;  // delimited by the close
    out.body = std::string(buffer.substr(bodyStart));
    return HttpParseStatus::Done;
  }
}

bool performHttp(const HttpCall& call, HttpParsedResponse& out,
                 std::string& error) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::milliseconds(call.timeoutMs > 0
                                                               ? call.timeoutMs
                                                               : 3'600'000);
  auto left = [&] {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - Clock::now())
                  .count();
    return ms > 0 ? static_cast<int>(ms) : 0;
  };
  HttpUrl url;
  if (!parseHttpUrl(call.url, url, error)) return false;
  std::vector<Address> addresses;
  if (!resolveHost(url.host, url.port, addresses, error)) return false;
  int fd = -1;
  std::string connectError;
  for (const Address& a : addresses)
    if ((fd = connectWithTimeout(a, left(), connectError)) >= 0) break;
  if (fd < 0) {
    error = "cannot connect to " + url.hostHeader + ": " + connectError;
    return false;
  }
  std::string request =
      buildHttpRequest(call.method, url, call.headers, call.body);
  std::string_view data(request);
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "sending the request: " + errnoText(errno);
      ::close(fd);
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  std::string buffer;
  bool noBody = call.method == "HEAD";
  char chunk[65536];
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    int n = ::poll(&p, 1, left());
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      error = "no complete response within " + std::to_string(call.timeoutMs) +
              " ms";
      ::close(fd);
      return false;
    }
    ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && errno != ECONNRESET) {
      error = "reading the response: " + errnoText(errno);
      ::close(fd);
      return false;
    }
    bool eof = got <= 0;
    if (got > 0) buffer.append(chunk, static_cast<size_t>(got));
    if (call.maxBytes > 0 && buffer.size() > call.maxBytes) {
      error = "the response is larger than the limit of " +
              std::to_string(call.maxBytes) + " bytes (max_output in rig.toml)";
      ::close(fd);
      return false;
    }
    HttpParseStatus s = parseHttpResponse(buffer, eof, noBody, out, error);
    if (s == HttpParseStatus::Done) break;
    if (s == HttpParseStatus::Invalid) {
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

}  // namespace rig::guest
