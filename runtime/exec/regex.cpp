#include "runtime/exec/regex.h"

#include <map>
#include <memory>
#include <regex>

#include "runtime/exec/failure.h"

namespace rig::exec {

bool regexSearch(llvm::StringRef pattern, llvm::StringRef text) {
  thread_local std::map<std::string, std::unique_ptr<std::regex>> cache;
  auto it = cache.find(pattern.str());
  if (it == cache.end()) {
    std::unique_ptr<std::regex> re;
    try {
      re = std::make_unique<std::regex>(pattern.str(),
                                        std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      failf("invalid regular expression \"{}\": {}", pattern.str(), e.what());
    }
    if (cache.size() > 256) cache.clear();
    it = cache.emplace(pattern.str(), std::move(re)).first;
  }
  try {
    return std::regex_search(text.begin(), text.end(), *it->second);
  } catch (const std::regex_error& e) {
    failf("regular expression \"{}\" could not be matched: {}", pattern.str(),
          e.what());
  }
}

}  // namespace rig::exec
