#include "runtime/plan/url.h"

namespace rig::plan {

// Hand-written: the only Debian library among rig's dependencies that has
// it is libcurl (curl_easy_escape), which the compiler does not link.
std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~';
    if (unreserved) {
      out += ch;
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string withQuery(
    std::string_view url,
    const std::vector<std::pair<std::string, std::string>>& query) {
  if (query.empty()) return std::string(url);
  size_t hash = url.find('#');
  std::string_view fragment =
      hash == std::string_view::npos ? "" : url.substr(hash);
  std::string out(url.substr(0, hash));
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  if (!out.empty() && (out.back() == '?' || out.back() == '&')) sep = 0;
  for (const auto& [key, value] : query) {
    if (sep) out += sep;
    sep = '&';
    out += urlEncode(key) + "=" + urlEncode(value);
  }
  return out + std::string(fragment);
}

}  // namespace rig::plan
