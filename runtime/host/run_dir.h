// Per-suite run directory and the per-user cache directory.
//
// A run directory holds the sockets, console logs and node configurations of
// one suite run: `$XDG_RUNTIME_DIR/rig/SUITE-XXXXXX` (or
// `/tmp/rig-UID/SUITE-XXXXXX`), mode 0700, owned by the user; removed when
// the RunDir is destroyed unless keep() was called. It holds `rig.pid` while
// rig runs; a run directory whose rig died without cleaning up (SIGKILL) is
// removed by the next RunDir::create() in the same base, and so is a kept
// one whose recorded machines are all gone (run_record.h). Paths are kept short:
// unix socket paths inside it must stay under 108 bytes.
#ifndef RIG_RUNTIME_HOST_RUN_DIR_H
#define RIG_RUNTIME_HOST_RUN_DIR_H

#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::host {

class RunDir {
 public:
  // `base` = "" picks the default described above.
  static llvm::Expected<std::unique_ptr<RunDir>> create(
      llvm::StringRef suiteName, llvm::StringRef base = "");
  ~RunDir();
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;

  const std::string& path() const { return path_; }
  void keep(bool keep = true) { keep_ = keep; }
  bool kept() const { return keep_; }

 private:
  explicit RunDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

// Where run directories go: `$XDG_RUNTIME_DIR/rig`, else `/tmp/rig-UID`.
std::string defaultRunDirBase();

// `$XDG_CACHE_HOME/rig` or `~/.cache/rig`, created (0700) if missing.
// Removes `path` and everything below it (a run directory), going on past
// entries it cannot remove.
void removeTree(const std::string& path);

llvm::Expected<std::string> cacheDir();

// When the file system holding `dir` has less than a MiB left (or `force`),
// one line saying so with its numbers: "the WHAT's file system is full: DIR
// (12 KiB free of 1024 KiB)"; empty otherwise. Error messages append it, so
// that a failure for want of space names the full file system and not only
// the file a program was writing.
std::string fullFileSystemNote(llvm::StringRef dir, llvm::StringRef what,
                               bool force = false);

// Makes `dir` (and parents) with `mode` and checks that it is a directory
// owned by us and not a symlink.
llvm::Error makePrivateDir(llvm::StringRef dir, unsigned mode = 0700);

// Writes `data` to `path` atomically (temporary file in the same directory,
// then rename).
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef data,
                                unsigned mode = 0644);

}  // namespace rig::host

#endif
