#include "runtime/guest/http.h"

#include <gtest/gtest.h>

#include "runtime/guest/net.h"

namespace rig::guest {
namespace {

HttpParseStatus parse(std::string_view text, bool eof, HttpParsedResponse& out,
                      std::string& error, bool head = false) {
  return parseHttpResponse(text, eof, head, out, error);
}

TEST(HttpUrl, Parses) {
  HttpUrl u;
  std::string error;
  ASSERT_TRUE(parseHttpUrl("http://server:8080/a/b?q=1#frag", u, error))
      << error;
  EXPECT_EQ(u.host, "server");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.target, "/a/b?q=1");
  EXPECT_EQ(u.hostHeader, "server:8080");
  ASSERT_TRUE(parseHttpUrl("HTTP://10.0.0.1", u, error));
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.target, "/");
  ASSERT_TRUE(parseHttpUrl("http://[::1]:81?x", u, error));
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 81);
  EXPECT_EQ(u.target, "/?x");
  EXPECT_FALSE(parseHttpUrl("https://a/", u, error));
  EXPECT_EQ(error, "only http:// URLs are supported: `https://a/`");
  EXPECT_FALSE(parseHttpUrl("http://a:99999/", u, error));
  EXPECT_EQ(error, "bad port `99999` in `http://a:99999/`");
  EXPECT_FALSE(parseHttpUrl("http:///x", u, error));
}

TEST(HttpRequest, AddsHostLengthAndClose) {
  HttpUrl u;
  std::string error;
  ASSERT_TRUE(parseHttpUrl("http://web:8080/api", u, error));
  EXPECT_EQ(
      buildHttpRequest("POST", u, {{"Content-Type", "application/json"}}, "{}"),
      "POST /api HTTP/1.1\r\nHost: web:8080\r\nContent-Length: 2\r\n"
      "Connection: close\r\nUser-Agent: rig-guest\r\n"
      "Content-Type: application/json\r\n\r\n{}");
  EXPECT_EQ(buildHttpRequest("GET", u, {{"host", "other"}}, ""),
            "GET /api HTTP/1.1\r\nConnection: close\r\nUser-Agent: "
            "rig-guest\r\nhost: other\r\n\r\n");
}

TEST(HttpResponse, ContentLength) {
  std::string text =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
      "5\r\n\r\nhello";
  HttpParsedResponse r;
  std::string error;
  for (size_t n = 0; n < text.size(); ++n)
    EXPECT_EQ(parse(text.substr(0, n), false, r, error),
              HttpParseStatus::NeedMore)
        << n;
  ASSERT_EQ(parse(text, false, r, error), HttpParseStatus::Done) << error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"content-type",
                                                               "text/plain"}));
  EXPECT_EQ(parse(text.substr(0, text.size() - 1), true, r, error),
            HttpParseStatus::Invalid);
  EXPECT_EQ(error, "the body is truncated: 4 of 5 bytes");
}

TEST(HttpResponse, Chunked) {
  std::string text =
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\n1A\r\n" +
      std::string(26, '\0') + "\r\n0\r\nX-Trailer: t\r\n\r\n";
  HttpParsedResponse r;
  std::string error;
  for (size_t n = 0; n < text.size(); ++n)
    ASSERT_EQ(parse(text.substr(0, n), false, r, error),
              HttpParseStatus::NeedMore)
        << n;
  ASSERT_EQ(parse(text, false, r, error), HttpParseStatus::Done) << error;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "hello" + std::string(26, '\0'));
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                  false, r, error),
            HttpParseStatus::Invalid);
  EXPECT_EQ(error, "bad chunk size `zz`");
}

TEST(HttpResponse, CloseDelimitedContinueHeadAndNoContent) {
  HttpParsedResponse r;
  std::string error;
  std::string text = "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nuntil the end";
  EXPECT_EQ(parse(text, false, r, error), HttpParseStatus::NeedMore);
  ASSERT_EQ(parse(text, true, r, error), HttpParseStatus::Done);
  EXPECT_EQ(r.body, "until the end");
  ASSERT_EQ(parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nA: "
                  "b\r\n\r\n",
                  false, r, error),
            HttpParseStatus::Done);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.size(), 1u);
  ASSERT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false, r,
                  error, true),
            HttpParseStatus::Done);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(parse("garbage\r\n\r\n", false, r, error),
            HttpParseStatus::Invalid);
  EXPECT_EQ(error, "bad status line `garbage`");
  EXPECT_EQ(parse("", true, r, error), HttpParseStatus::Invalid);
  EXPECT_EQ(error, "the server closed the connection without a response");
}

TEST(Hosts, LookupIsCaseInsensitiveAndSkipsComments) {
  std::string hosts =
      "127.0.0.1 localhost\n# 10.0.0.9 web\n192.168.1.2\tweb  Web.lan # c\n::1 "
      "web\n";
  EXPECT_EQ(lookupHosts(hosts, "WEB"),
            (std::vector<std::string>{"192.168.1.2", "::1"}));
  EXPECT_EQ(lookupHosts(hosts, "web.lan"),
            (std::vector<std::string>{"192.168.1.2"}));
  EXPECT_TRUE(lookupHosts(hosts, "db").empty());
}

}  // namespace
}  // namespace rig::guest
