// A small HTTP/1.1 client for the agent's `http` request. Parsing is pure and
// unit-tested; `performHttp` does the I/O.
#ifndef RIG_RUNTIME_GUEST_HTTP_H
#define RIG_RUNTIME_GUEST_HTTP_H

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rig::guest {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpUrl {
  std::string host;  // without brackets for IPv6
  int port = 80;
  std::string target = "/";  // path and query
  std::string hostHeader;    // host[:port] as written
};

bool parseHttpUrl(std::string_view url, HttpUrl& out, std::string& error);

// The request bytes: adds Host, Content-Length (when there is a body or the
// method usually has one) and Connection: close unless `headers` has them.
std::string buildHttpRequest(std::string_view method, const HttpUrl& url,
                             const HttpHeaders& headers, std::string_view body);

struct HttpParsedResponse {
  int status = 0;
  HttpHeaders headers;  // names lower-cased, in order
  std::string body;
};

enum class HttpParseStatus { NeedMore, Done, Invalid };

// Parses the response in `buffer` (everything received so far). `eof` says
// the peer closed. `noBody` is true for HEAD requests. Handles
// Content-Length, chunked, and close-delimited bodies; skips 1xx responses.
HttpParseStatus parseHttpResponse(std::string_view buffer, bool eof,
                                  bool noBody, HttpParsedResponse& out,
                                  std::string& error);

struct HttpCall {
  std::string method = "GET";
  std::string url;
  HttpHeaders headers;
  std::string body;
  int timeoutMs = 30'000;
  size_t maxBytes = 0;  // the response's size limit (0 = none)
};

bool performHttp(const HttpCall& call, HttpParsedResponse& out,
                 std::string& error);

}  // namespace rig::guest

#endif
