// Text helpers of the HTML report and its inline style and script (the page
// is one self-contained file: nothing is loaded from anywhere; the style and
// script are assets/report.css and assets/report.js).
#include <set>

#include "fmt/format.h"
#include "runtime/report/assets/report_css.h"
#include "runtime/report/assets/report_js.h"
#include "runtime/report/html.h"
#include "runtime/report/plain_text.h"
#include "runtime/support/utf8.h"

namespace rig::report::html {

std::string escape(llvm::StringRef s, bool keepNewlines) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '&': out += "&amp;"; continue;
        case '<': out += "&lt;"; continue;
        case '>': out += "&gt;"; continue;
        case '"': out += "&quot;"; continue;
        case '\'': out += "&#39;"; continue;
        case '\t': out += '\t'; continue;
        case '\r': continue;  // serial line ends and progress redraws
        case '\n': out += keepNewlines ? "\n" : "\u2424"; continue;
        case 0x1b: i += escapeLength(s, i - 1) - 1; continue;
        case 0x7f: out += "\u2421"; continue;
        default: break;
      }
      if (c < 0x20) {
        // U+2400 + c: the control pictures block.
        out += '\xE2';
        out += '\x90';
        out += static_cast<char>(0x80 + c);
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    uint32_t codePoint = 0;
    size_t length = utf8::decode(s, i, codePoint);
    if (length == 0 || (codePoint >= 0x80 && codePoint <= 0x9F)) {
      out += "\uFFFD";
      i += length ? length : 1;
      continue;
    }
    out.append(s.data() + i, length);
    i += length;
  }
  return out;
}

std::string formatMs(double ms) {
  if (ms < 0) ms = 0;
  if (ms < 1000) return fmt::format("{:.0f} ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f} s", ms / 1000);
  auto seconds = static_cast<long long>(ms / 1000 + 0.5);
  return fmt::format("{} min {:02} s", seconds / 60, seconds % 60);
}

llvm::StringRef statusIcon(Status status) {
  switch (status) {
    case Status::Passed: return "\u2714";
    case Status::Failed: return "\u2718";
    case Status::Skipped: return "\u25CB";
    case Status::Error: return "\u26A0";
  }
  return "?";
}

bool retried(const SuiteRecord& suite, size_t step) {
  const Step& s = suite.steps[step];
  if (s.status != Status::Failed) return false;
  for (auto p = s.parent; p; p = suite.steps[*p].parent) {
    const Step& parent = suite.steps[*p];
    if (llvm::StringRef(parent.info.text).startswith("eventually"))
      return parent.finished && parent.status == Status::Passed;
  }
  return false;
}

std::string testId(size_t suite, size_t test) {
  return fmt::format("s{}-t{}", suite, test);
}
std::string consoleId(size_t suite, size_t node) {
  return fmt::format("s{}-console{}", suite, node);
}

std::optional<double> firstEventMs(const SuiteRecord& suite) {
  std::optional<double> first;
  auto see = [&](double t) {
    if (!first || t < *first) first = t;
  };
  for (const NodeEvent& e : suite.nodeEvents) see(e.atMs);
  for (const Step& s : suite.steps) see(s.info.startMs);
  for (const auto& [node, lines] : suite.consoles)
    for (const ConsoleLine& line : lines) see(line.atMs);
  return first;
}

std::vector<std::string> SuiteRecord::nodeOrder() const {
  std::vector<std::string> order = info.nodes;
  std::set<std::string> seen(order.begin(), order.end());
  auto add = [&](const std::string& node) {
    if (!node.empty() && seen.insert(node).second) order.push_back(node);
  };
  for (const NodeEvent& e : nodeEvents) add(e.node);
  for (const Step& s : steps) add(s.info.node);
  for (const auto& [node, lines] : consoles) add(node);
  return order;
}

// The assets are embedded at build time (cmake/embed_asset.cmake), with a
// terminating 0 that is not part of the text.
template <size_t N>
static llvm::StringRef asset(const unsigned char (&bytes)[N]) {
  return llvm::StringRef(reinterpret_cast<const char*>(bytes), N - 1);
}

llvm::StringRef pageStyle() { return asset(kReportCss); }
llvm::StringRef pageScript() { return asset(kReportJs); }

}  // namespace rig::report::html
