#include "tests/golden/golden.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::golden {

namespace {

// Shows where expected and actual first differ, with a little context; the
// full diff is what `scripts/update-goldens` + `git diff` are for.
void printMismatch(llvm::StringRef name, llvm::StringRef expected,
                   llvm::StringRef actual) {
  llvm::SmallVector<llvm::StringRef, 0> e, a;
  expected.split(e, '\n');
  actual.split(a, '\n');
  size_t i = 0;
  while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
  llvm::errs() << "FAIL " << name << ": output differs from " << name
               << ".expected at line " << (i + 1) << "\n";
  size_t from = i > 3 ? i - 3 : 0;
  for (size_t k = from; k < i; ++k) llvm::errs() << "   " << e[k] << "\n";
  for (size_t k = i; k < std::min(e.size(), i + 8); ++k)
    llvm::errs() << " - " << e[k] << "\n";
  for (size_t k = i; k < std::min(a.size(), i + 8); ++k)
    llvm::errs() << " + " << a[k] << "\n";
}

}  // namespace

int main(int argc, char** argv, const Producer& produce) {
  bool update = false;
  std::string mode;
  std::string dir;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--update") {
      update = true;
    } else if (arg.consume_front("--mode=")) {
      mode = arg.str();
    } else if (dir.empty()) {
      dir = arg.str();
    } else {
      only.push_back(llvm::sys::path::filename(arg).str());
    }
  }
  if (dir.empty()) {
    llvm::errs() << "usage: " << argv[0]
                 << " [--update] [--mode=MODE] DIR [FILE.rig...]\n";
    return 2;
  }
  if (std::error_code ec = llvm::sys::fs::set_current_path(dir)) {
    llvm::errs() << "cannot enter " << dir << ": " << ec.message() << "\n";
    return 2;
  }

  std::vector<std::string> inputs;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(".", ec), end; it != end && !ec;
       it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (llvm::StringRef(name).endswith(".rig") &&
        (only.empty() || std::count(only.begin(), only.end(), name)))
      inputs.push_back(name);
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    llvm::errs() << "no .rig files in " << dir << "\n";
    return 2;
  }

  unsigned failures = 0, failedFiles = 0, updated = 0;
  for (const std::string& input : inputs) {
    unsigned failuresBefore = failures;
    Output out = produce(input, mode);
    std::string expectedPath = input.substr(0, input.size() - 4) + ".expected";
    bool wantsErrors = llvm::StringRef(input).startswith("fail_");
    if (out.hasErrors != wantsErrors) {
      llvm::errs() << "FAIL " << input << ": "
                   << (out.hasErrors ? "has errors but is not named fail_*"
                                     : "is named fail_* but has no errors")
                   << "\n";
      ++failures;
    }
    auto buffer = llvm::MemoryBuffer::getFile(expectedPath, /*IsText=*/true);
    llvm::StringRef expected = buffer ? (*buffer)->getBuffer() : "";
    if (buffer && expected == out.text) {
      failedFiles += failures != failuresBefore;
      continue;
    }
    if (update) {
      std::error_code wec;
      llvm::raw_fd_ostream os(expectedPath, wec);
      if (wec) {
        llvm::errs() << "cannot write " << expectedPath << ": " << wec.message()
                     << "\n";
        return 2;
      }
      os << out.text;
      ++updated;
      continue;
    }
    if (!buffer)
      llvm::errs() << "FAIL " << input << ": no " << expectedPath
                   << " (run scripts/update-goldens)\n";
    else
      printMismatch(input, expected, out.text);
    ++failures;
    ++failedFiles;
  }
  if (update)
    llvm::outs() << dir << ": " << inputs.size() << " files, " << updated
                 << " updated\n";
  else
    llvm::outs() << dir << ": " << inputs.size() - failedFiles << "/"
                 << inputs.size() << " passed\n";
  return failures == 0 ? 0 : 1;
}

int mainOverSources(int argc, char** argv, const SourcePhase& phase) {
  return main(argc, argv,
              [&](const std::string& path, const std::string& mode) {
                Output out;
                llvm::raw_string_ostream os(out.text);
                SourceFiles sources;
                llvm::Expected<FileId> file = sources.load(path);
                if (!file) {
                  os << llvm::toString(file.takeError()) << "\n";
                  out.hasErrors = true;
                  return out;
                }
                out.hasErrors = phase(sources, *file, mode, os);
                os.flush();
                return out;
              });
}

}  // namespace rig::golden
