// Fails when a diagnostic kind is never exercised by a golden test: every
// code of the listed kinds files (errors, warnings, lints; notes print
// without a code) must appear as `[CODE]` in some *.expected file.
//
// Usage: rig-kinds-coverage REPO_ROOT ENFORCED_LIST
// ENFORCED_LIST names one kinds file per line (relative to REPO_ROOT);
// phases opt in by adding their file there.
#include <set>
#include <string>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    llvm::errs() << "usage: rig-kinds-coverage REPO_ROOT ENFORCED_LIST\n";
    return 2;
  }
  std::string root = argv[1];
  auto list = llvm::MemoryBuffer::getFile(argv[2], /*IsText=*/true);
  if (!list) {
    llvm::errs() << "cannot read " << argv[2] << "\n";
    return 2;
  }

  // Every `[CODE]` seen in an expectation.
  std::set<std::string> seen;
  std::error_code ec;
  std::string testdata = root + "/tests/testdata";
  for (llvm::sys::fs::recursive_directory_iterator it(testdata, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (!llvm::StringRef(it->path()).endswith(".expected")) continue;
    auto buffer = llvm::MemoryBuffer::getFile(it->path(), /*IsText=*/true);
    if (!buffer) continue;
    llvm::StringRef text = (*buffer)->getBuffer();
    for (size_t at = text.find('['); at != llvm::StringRef::npos;
         at = text.find('[', at + 1)) {
      size_t close = text.find(']', at);
      if (close != llvm::StringRef::npos && close - at <= 8)
        seen.insert(text.slice(at + 1, close).str());
    }
  }

  unsigned missing = 0, checked = 0;
  llvm::SmallVector<llvm::StringRef, 8> files;
  (*list)->getBuffer().split(files, '\n', -1, false);
  for (llvm::StringRef file : files) {
    file = file.trim();
    if (file.empty() || file.startswith("#")) continue;
    auto def = llvm::MemoryBuffer::getFile(root + "/" + file.str(), true);
    if (!def) {
      llvm::errs() << "cannot read " << file << "\n";
      return 2;
    }
    llvm::SmallVector<llvm::StringRef, 64> lines;
    (*def)->getBuffer().split(lines, '\n');
    for (llvm::StringRef line : lines) {
      line = line.trim();
      bool enforced = line.startswith("RIG_ERROR(") ||
                      line.startswith("RIG_WARNING(") ||
                      line.startswith("RIG_LINT(");
      if (!enforced) continue;
      llvm::StringRef rest =
          line.drop_until([](char c) { return c == '('; }).drop_front();
      llvm::StringRef name = rest.take_until([](char c) { return c == ','; });
      size_t q = rest.find('"');
      llvm::StringRef code =
          rest.drop_front(q + 1).take_until([](char c) { return c == '"'; });
      ++checked;
      if (!seen.count(code.str())) {
        llvm::errs() << file << ": " << name.trim() << " [" << code
                     << "] is not exercised by any golden test\n";
        ++missing;
      }
    }
  }
  llvm::outs() << checked - missing << "/" << checked
               << " diagnostic kinds exercised by golden tests\n";
  return missing == 0 ? 0 : 1;
}
