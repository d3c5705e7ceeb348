#include "runtime/host/run_dir.h"
#include "runtime/host/run_record.h"

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "runtime/support/assert.h"

namespace rig::host {
namespace {

llvm::Error errnoError(const llvm::Twine& what) {
  int e = errno;
  return llvm::createStringError(std::error_code(e, std::generic_category()),
                                 "%s: %s", what.str().c_str(), strerror(e));
}

}  // namespace

std::string defaultRunDirBase() {
  const char* xdg = getenv("XDG_RUNTIME_DIR");
  struct stat st;
  if (xdg && *xdg && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode))
    return std::string(xdg) + "/rig";
  return "/tmp/rig-" + std::to_string(getuid());
}

llvm::Error makePrivateDir(llvm::StringRef dir, unsigned mode) {
  std::string path = dir.str();
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    if (errno != ENOENT) return errnoError("mkdir " + path);
    if (auto ec = llvm::sys::fs::create_directories(
            llvm::sys::path::parent_path(path)))
      return llvm::createStringError(ec, "mkdir %s: %s", path.c_str(),
                                     ec.message().c_str());
    if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
      return errnoError("mkdir " + path);
  }
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return errnoError("stat " + path);
  if (!S_ISDIR(st.st_mode))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s is not a directory", path.c_str());
  if (st.st_uid != getuid())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s is owned by uid %u, not by us (%u)",
                                   path.c_str(), st.st_uid, getuid());
  return llvm::Error::success();
}

// Removes a run directory with everything below it, going on past entries
// it cannot remove. llvm::sys::fs::remove_directories (LLVM 14) left run
// directories behind once QEMU's sockets and the state disk lived there
// (vm.e2e.machine, e2e.keep_vms, driver.e2e.repl); this walk does not.
void removeTree(const std::string& path) {
  nftw(
      path.c_str(),
      [](const char* fpath, const struct stat*, int type, struct FTW*) {
        if (type == FTW_DP)
          rmdir(fpath);
        else
          unlink(fpath);
        return 0;
      },
      16, FTW_DEPTH | FTW_PHYS);
}

// A run directory holds `rig.pid` while its rig runs. One whose rig is gone
// (it was SIGKILLed: no destructor ran) is removed by the next run. A
// directory whose machines were kept (run_record.h) stays while any of its
// recorded processes runs, and is removed once they are all gone. Any other
// kept directory (no pid file, no record) stays.
void removeStaleRunDirs(const std::string& root) {
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(root, ec), end; it != end && !ec;
       it.increment(ec)) {
    const std::string& dir = it->path();
    auto pidText = llvm::MemoryBuffer::getFile(dir + "/rig.pid");
    if (pidText) {
      int pid = 0;
      if ((*pidText)->getBuffer().trim().getAsInteger(10, pid) || pid <= 0)
        continue;
      if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // its rig runs
    }
    if (auto text = llvm::MemoryBuffer::getFile(dir + "/" + kRunRecordFile)) {
      auto record = parseRunRecord((*text)->getBuffer());
      if (record && record->kept()) {
        if (!anyRecordedProcessAlive(*record, dir)) removeTree(dir);
        continue;
      }
    }
    if (pidText) removeTree(dir);
  }
}

llvm::Expected<std::unique_ptr<RunDir>> RunDir::create(
    llvm::StringRef suiteName, llvm::StringRef base) {
  std::string root = base.empty() ? defaultRunDirBase() : base.str();
  if (auto err = makePrivateDir(root)) return err;
  removeStaleRunDirs(root);
  std::string stem;
  for (char c : suiteName.take_front(20))
    stem += (isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')
                ? c
                : '_';
  if (stem.empty()) stem = "run";
  std::string templ = root + "/" + stem + "-XXXXXX";
  if (!mkdtemp(templ.data())) return errnoError("mkdtemp " + templ);
  if (auto err = writeFileAtomically(templ + "/rig.pid",
                                     std::to_string(getpid()) + "\n", 0600)) {
    removeTree(templ);
    return err;
  }
  return std::unique_ptr<RunDir>(new RunDir(templ));
}

RunDir::~RunDir() {
  // The recursive removal below must only ever see a directory mkdtemp made.
  RIG_ASSERT(llvm::StringRef(path_).startswith("/") &&
                 llvm::StringRef(path_).count('/') >= 2,
             "a run directory is an absolute path below its base");
  if (!keep_)
    removeTree(path_);
  else
    unlink((path_ + "/rig.pid").c_str());
}

std::string fullFileSystemNote(llvm::StringRef dir, llvm::StringRef what,
                               bool force) {
  auto space = llvm::sys::fs::disk_space(dir);
  if (!force && !(space && space->available < (1u << 20))) return "";
  std::string note =
      "the " + what.str() + "'s file system is full: " + dir.str();
  if (space)
    note += " (" + std::to_string(space->available >> 10) + " KiB free of " +
            std::to_string(space->capacity >> 10) + " KiB)";
  return note;
}

llvm::Expected<std::string> cacheDir() {
  std::string dir;
  const char* xdg = getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) {
    dir = std::string(xdg) + "/rig";
  } else {
    const char* home = getenv("HOME");
    if (!home || !*home)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "neither XDG_CACHE_HOME nor HOME is set");
    dir = std::string(home) + "/.cache/rig";
  }
  if (auto err = makePrivateDir(dir)) return err;
  return dir;
}

llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef data,
                                unsigned mode) {
  // TempFile creates the file with `mode` (so an executable is never seen
  // without its x bit), removes it on a signal, and renames it into place.
  llvm::Expected<llvm::sys::fs::TempFile> tmp = llvm::sys::fs::TempFile::create(
      path + ".tmp-%%%%%%", static_cast<llvm::sys::fs::perms>(mode));
  if (!tmp)
    return llvm::createStringError(llvm::errorToErrorCode(tmp.takeError()),
                                   "create %s.tmp-*", path.str().c_str());
  {
    llvm::raw_fd_ostream os(tmp->FD, /*shouldClose=*/false);
    os << data;
    os.flush();
    if (os.has_error()) {
      std::error_code ec = os.error();
      os.clear_error();
      llvm::consumeError(tmp->discard());
      return llvm::createStringError(ec, "write %s: %s", tmp->TmpName.c_str(),
                                     ec.message().c_str());
    }
  }
  // The umask does not apply to what rig asks for explicitly.
  fchmod(tmp->FD, mode);
  if (llvm::Error e = tmp->keep(path)) {
    std::error_code ec = llvm::errorToErrorCode(std::move(e));
    return llvm::createStringError(ec, "write %s: %s", path.str().c_str(),
                                   ec.message().c_str());
  }
  return llvm::Error::success();
}

}  // namespace rig::host
