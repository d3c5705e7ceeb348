// rig fmt's two promises, over every .rig file of the repository (examples,
// stdlib, tests, goldens): the formatted text has the same syntax tree as
// the input (ranges aside), and formatting it again changes nothing. Files
// with syntax errors must be refused, never rewritten.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/format/format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::format {
namespace {

// Every .rig file under the source tree, build and dependency folders aside.
std::vector<std::string> repositorySpecs() {
  std::vector<std::string> found;
  std::error_code ec;
  namespace fs = llvm::sys::fs;
  for (fs::recursive_directory_iterator it(RIG_SOURCE_DIR, ec), end;
       !ec && it != end; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (it->type() == fs::file_type::directory_file &&
        (name.startswith(".") || name.startswith("build") ||
         name == "node_modules")) {
      it.no_push();
      continue;
    }
    if (llvm::sys::path::extension(it->path()) == ".rig")
      found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string read(const std::string& path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  EXPECT_TRUE(bool(buffer)) << path;
  return buffer ? (*buffer)->getBuffer().str() : "";
}

// Checks both properties for one text; returns whether it parsed.
bool checkProperties(const std::string& path, const std::string& text,
                     const Options& options) {
  std::string errors;
  std::string before = meaning(path, text, &errors);
  Result once = formatText(path, text, options);
  if (before.empty()) {
    EXPECT_EQ(once.outcome, Outcome::SyntaxErrors) << path;
    return false;
  }
  EXPECT_EQ(once.outcome, Outcome::Formatted) << path << ": " << once.problem;
  if (once.outcome != Outcome::Formatted) return true;
  EXPECT_EQ(meaning(path, once.text), before) << path << "\n" << once.text;
  Result twice = formatText(path, once.text, options);
  EXPECT_EQ(twice.outcome, Outcome::Formatted) << path;
  EXPECT_EQ(twice.text, once.text) << path << ": not idempotent";
  return true;
}

TEST(FormatProperties, EveryRepositorySpec) {
  std::vector<std::string> specs = repositorySpecs();
  unsigned parsed = 0;
  for (const std::string& path : specs)
    if (checkProperties(path, read(path), Options{})) ++parsed;
  // The repository has dozens of specs that parse; finding none means the
  // walk above is broken, not that everything is fine.
  EXPECT_GE(specs.size(), 50u);
  EXPECT_GE(parsed, 40u);
}

// A narrow width makes every list wrap: the wrapping code runs on all of it.
TEST(FormatProperties, EveryRepositorySpecNarrow) {
  for (const std::string& path : repositorySpecs())
    checkProperties(path, read(path), Options{30, 4});
}

}  // namespace
}  // namespace rig::format
