#include "driver/text_diff.h"

#include <fmt/format.h>

#include <vector>

#include "llvm/ADT/SmallVector.h"

namespace rig::driver {

namespace {

std::vector<llvm::StringRef> linesOf(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 64> parts;
  text.split(parts, '\n');
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  return {parts.begin(), parts.end()};
}

enum class Op { Keep, Remove, Add };

// The edit script from a longest common subsequence table. Specs are a few
// hundred lines; the quadratic table is small.
std::vector<std::pair<Op, llvm::StringRef>> editScript(
    const std::vector<llvm::StringRef>& a,
    const std::vector<llvm::StringRef>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<unsigned> lcs((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> unsigned& {
    return lcs[i * (m + 1) + j];
  };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1
                              : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<std::pair<Op, llvm::StringRef>> script;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.push_back({Op::Keep, a[i]});
      ++i, ++j;
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      script.push_back({Op::Remove, a[i++]});
    } else {
      script.push_back({Op::Add, b[j++]});
    }
  }
  return script;
}

}  // namespace

std::string unifiedDiff(llvm::StringRef path, llvm::StringRef before,
                        llvm::StringRef after) {
  if (before == after) return "";
  auto script = editScript(linesOf(before), linesOf(after));
  constexpr size_t kContext = 3;
  std::string out = fmt::format("--- a/{}\n+++ b/{}\n", path.str(), path.str());
  size_t k = 0;
  while (k < script.size()) {
    if (script[k].first == Op::Keep) {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext lines after
    // the last change that is within 2*kContext of the previous one.
    size_t begin = k >= kContext ? k - kContext : 0;
    size_t end = k;
    size_t keeps = 0;
    for (size_t e = k; e < script.size(); ++e) {
      if (script[e].first == Op::Keep) {
        if (++keeps > 2 * kContext) break;
      } else {
        keeps = 0;
        end = e;
      }
    }
    end = std::min(script.size(), end + 1 + kContext);
    size_t aLine = 1, bLine = 1;
    for (size_t e = 0; e < begin; ++e) {
      if (script[e].first != Op::Add) ++aLine;
      if (script[e].first != Op::Remove) ++bLine;
    }
    size_t aCount = 0, bCount = 0;
    std::string body;
    for (size_t e = begin; e < end; ++e) {
      char mark = script[e].first == Op::Keep  ? ' '
                  : script[e].first == Op::Add ? '+'
                                               : '-';
      if (script[e].first != Op::Add) ++aCount;
      if (script[e].first != Op::Remove) ++bCount;
      body += mark;
      body += script[e].second.str();
      body += '\n';
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", aCount ? aLine : aLine - 1,
                       aCount, bCount ? bLine : bLine - 1, bCount);
    out += body;
    k = end;
  }
  return out;
}

}  // namespace rig::driver
