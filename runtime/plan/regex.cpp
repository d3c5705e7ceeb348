#include "runtime/plan/regex.h"

#include <map>
#include <memory>
#include <regex>

#include <fmt/format.h>

#include "llvm/ADT/StringExtras.h"

namespace rig {
namespace {

// std::regex_error's text as a diagnostic wants it: lowercase, no period.
std::string describe(const std::regex_error& e) {
  std::string what = e.what();
  if (!what.empty()) what[0] = static_cast<char>(llvm::toLower(what[0]));
  while (!what.empty() && (what.back() == '.' || what.back() == ' '))
    what.pop_back();
  return what;
}

}  // namespace

std::optional<std::string> regexError(llvm::StringRef pattern) {
  try {
    std::regex re(pattern.str(), std::regex::ECMAScript);
    (void)re;
    return std::nullopt;
  } catch (const std::regex_error& e) {
    return describe(e);
  }
}

RegexSearch regexSearch(llvm::StringRef pattern, llvm::StringRef text) {
  thread_local std::map<std::string, std::unique_ptr<std::regex>> cache;
  auto it = cache.find(pattern.str());
  if (it == cache.end()) {
    std::unique_ptr<std::regex> re;
    try {
      re = std::make_unique<std::regex>(pattern.str(), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return {false, fmt::format("invalid regular expression \"{}\": {}",
                                 pattern.str(), describe(e))};
    }
    if (cache.size() > 256) cache.clear();
    it = cache.emplace(pattern.str(), std::move(re)).first;
  }
  try {
    return {std::regex_search(text.begin(), text.end(), *it->second), ""};
  } catch (const std::regex_error& e) {
    return {false,
            fmt::format("regular expression \"{}\" could not be matched: {}",
                        pattern.str(), describe(e))};
  }
}

}  // namespace rig
