// `rig fmt` (docs/fmt.md): files and directories in place, `-` from stdin to
// stdout, `--check` and `--diff` write nothing.
#include <string>
#include <vector>

#include "compiler/format/format.h"
#include "driver/session.h"
#include "driver/text_diff.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

namespace {

// Writes beside the file and renames, so a crash never leaves half a spec.
bool writeAtomically(llvm::StringRef path, llvm::StringRef text,
                     std::string& error) {
  std::string temp = (path + ".rigfmt.tmp").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temp, ec);
    if (ec) {
      error = ec.message();
      return false;
    }
    os << text;
    os.close();
    if (os.has_error()) {
      error = os.error().message();
      os.clear_error();
      llvm::sys::fs::remove(temp);
      return false;
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    error = ec.message();
    llvm::sys::fs::remove(temp);
    return false;
  }
  return true;
}

}  // namespace

int runFmt(Session& session) {
  const Invocation& inv = session.invocation();
  bool fromStdin = inv.files.size() == 1 && inv.files[0] == "-";
  std::vector<std::string> paths;
  for (const std::string& arg : inv.files) {
    if (arg == "-" && !fromStdin) {
      session.error("rig fmt - reads standard input and takes no other file");
      return kExitUsage;
    }
    if (llvm::sys::fs::is_directory(arg)) {
      for (std::string& p : specsIn(arg)) paths.push_back(std::move(p));
    } else {
      paths.push_back(arg);
    }
  }
  if (fromStdin) paths = {"<stdin>"};

  int code = kExitOk;
  for (const std::string& path : paths) {
    std::string text;
    if (fromStdin) {
      auto buffer = llvm::MemoryBuffer::getSTDIN();
      if (!buffer) {
        session.error("cannot read standard input: " +
                      buffer.getError().message());
        return kExitUsage;
      }
      text = (*buffer)->getBuffer().str();
    } else {
      auto buffer =
          llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
      if (!buffer) {
        session.error("cannot read " + path + ": " +
                      buffer.getError().message());
        code = kExitUsage;
        continue;
      }
      text = (*buffer)->getBuffer().str();
    }
    FileId file = session.sources().add(path, text);
    diag::Emitter emitter;
    format::Result result =
        format::formatFile(file, session.sources(), emitter);
    if (result.outcome == format::Outcome::SyntaxErrors) {
      session.addDiagnostics(emitter);
      session.printDiagnostics();
      if (fromStdin && !inv.fmtCheck && !inv.fmtDiff) session.out() << text;
      code = kExitUsage;
      continue;
    }
    if (result.outcome == format::Outcome::Unsafe) {
      session.error("internal error: formatting " + path +
                    " would change its meaning, so it is left as is (" +
                    result.problem + "); please report it");
      if (fromStdin && !inv.fmtCheck && !inv.fmtDiff) session.out() << text;
      code = kExitUsage;
      continue;
    }
    bool changed = result.text != text;
    if (inv.fmtCheck) {
      if (changed) {
        session.out() << path << "\n";
        if (code == kExitOk) code = kExitTestFailed;
      }
      if (inv.fmtDiff) session.out() << unifiedDiff(path, text, result.text);
      continue;
    }
    if (inv.fmtDiff) {
      session.out() << unifiedDiff(path, text, result.text);
      continue;
    }
    if (fromStdin) {
      session.out() << result.text;
      continue;
    }
    std::string error;
    if (changed && !writeAtomically(path, result.text, error)) {
      session.error("cannot write " + path + ": " + error);
      code = kExitUsage;
    }
  }
  return code;
}

}  // namespace rig::driver
