#include "runtime/host/prepare.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "runtime/host/process.h"
#include "runtime/host/run_dir.h"

namespace rig::host {

namespace {

llvm::Error errorf(std::string message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

// Length-prefixed fields, so that ("ab", "c") and ("a", "bc") differ.
void hashField(llvm::SHA256& sha, llvm::StringRef field) {
  std::string length = std::to_string(field.size()) + ":";
  sha.update(length);
  sha.update(field);
}

std::string hex(llvm::StringRef bytes) {
  return llvm::toHex(bytes, /*LowerCase=*/true);
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

uint64_t treeBytes(llvm::StringRef dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(dir, ec, false), end;
       it != end && !ec; it.increment(ec)) {
    llvm::sys::fs::file_status status;
    if (!llvm::sys::fs::status(it->path(), status, false) &&
        status.type() == llvm::sys::fs::file_type::regular_file)
      total += status.getSize();
  }
  return total;
}

// Holds an exclusive flock(2) on a lock file for its lifetime.
class FileLock {
 public:
  static llvm::Expected<FileLock> acquire(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return errorf(
          fmt::format("cannot open lock file {}: {}", path, strerror(errno)));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errorf(fmt::format("cannot lock {}: {}", path, strerror(err)));
    }
    return FileLock(fd);
  }
  FileLock(FileLock&& other) : fd_(other.fd_) { other.fd_ = -1; }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// The bubblewrap command line of language.md 4a: read-only /usr and /etc,
// private /tmp, no network, only $out writable; the command runs as `user`.
// /tmp and /var/tmp are world-writable and sticky (1777), as on a host:
// installers that run as their service's user (mariadb-install-db as
// mysql) write there.
// rig runs as root, so bwrap does not need a user namespace: it unshares
// everything else and setpriv drops to the step's user inside.
std::vector<std::string> sandboxArgv(const plan::Prepare& step,
                                     const struct passwd& pw,
                                     llvm::StringRef outDir) {
  return {"bwrap",
          "--ro-bind",
          "/usr",
          "/usr",
          "--ro-bind",
          "/etc",
          "/etc",
          "--symlink",
          "usr/bin",
          "/bin",
          "--symlink",
          "usr/sbin",
          "/sbin",
          "--symlink",
          "usr/lib",
          "/lib",
          "--symlink",
          "usr/lib64",
          "/lib64",
          "--proc",
          "/proc",
          "--dev",
          "/dev",
          "--perms",
          "1777",
          "--tmpfs",
          "/tmp",
          "--perms",
          "1777",
          "--tmpfs",
          "/var/tmp",
          "--bind",
          outDir.str(),
          "/out",
          "--chdir",
          "/out",
          "--unshare-ipc",
          "--unshare-pid",
          "--unshare-net",
          "--unshare-uts",
          "--unshare-cgroup-try",
          "--die-with-parent",
          "--clearenv",
          "--setenv",
          "out",
          "/out",
          "--setenv",
          "PATH",
          "/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin",
          "--setenv",
          "HOME",
          "/tmp",
          "--setenv",
          "LANG",
          "C.UTF-8",
          "--",
          "setpriv",
          "--reuid=" + std::to_string(pw.pw_uid),
          "--regid=" + std::to_string(pw.pw_gid),
          "--init-groups",
          "/bin/sh",
          "-ec",
          step.run};
}

std::string nowIso() {
  std::time_t t = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buffer;
}

}  // namespace

llvm::Expected<PackageVersions> packageVersions(
    llvm::ArrayRef<std::string> packages) {
  PackageVersions versions;
  if (packages.empty()) return versions;
  std::vector<std::string> argv = {"dpkg-query", "-W", "-f",
                                   "${Package}\t${Version}\t${Status}\n"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  auto result = run(argv, 30'000);
  if (!result) return result.takeError();
  llvm::StringMap<std::string> found;
  llvm::SmallVector<llvm::StringRef, 16> lines;
  llvm::StringRef(result->output).split(lines, '\n', -1, false);
  for (llvm::StringRef line : lines) {
    llvm::SmallVector<llvm::StringRef, 3> fields;
    line.split(fields, '\t');
    if (fields.size() == 3 && fields[2].endswith("installed") &&
        !fields[2].endswith("not-installed"))
      found[fields[0]] = fields[1].str();
  }
  for (const std::string& p : packages) {
    auto it = found.find(p);
    versions.emplace_back(p, it == found.end() ? "" : it->second);
  }
  llvm::sort(versions);
  return versions;
}

llvm::Expected<std::string> prepareKey(const plan::Prepare& step,
                                       const PackageVersions& versions) {
  llvm::SHA256 sha;
  hashField(sha, "rig-prepare-1");
  hashField(sha, step.run);
  hashField(sha, step.user);
  PackageVersions sorted = versions;
  llvm::sort(sorted);
  for (const auto& [name, version] : sorted) {
    hashField(sha, name);
    hashField(sha, version);
  }
  std::vector<std::string> inputs = step.inputs;
  llvm::sort(inputs);
  for (const std::string& input : inputs) {
    auto buffer = llvm::MemoryBuffer::getFile(input, false, false);
    if (!buffer)
      return errorf(fmt::format("prepare \"{}\": cannot read input {}: {}",
                                step.name, input, buffer.getError().message()));
    hashField(sha, input);
    hashField(sha, (*buffer)->getBuffer());
  }
  return hex(sha.final());
}

llvm::Expected<PreparedState> ensurePrepared(const plan::Prepare& step,
                                             const PackageVersions& versions,
                                             const PrepareOptions& options) {
  auto start = std::chrono::steady_clock::now();
  std::string root = options.cacheDir;
  if (root.empty()) {
    auto dir = cacheDir();
    if (!dir) return dir.takeError();
    root = *dir;
  }
  root += "/prepare";
  if (llvm::Error e = makePrivateDir(root, 0755)) return e;

  auto key = prepareKey(step, versions);
  if (!key) return key.takeError();
  PreparedState state;
  state.key = *key;
  state.outputDir = root + "/" + *key;
  std::string record = state.outputDir + ".json";

  auto lock = FileLock::acquire(state.outputDir + ".lock");
  if (!lock) return lock.takeError();

  bool complete = llvm::sys::fs::is_directory(state.outputDir) &&
                  llvm::sys::fs::exists(record);
  bool seen = options.seen != nullptr && !options.seen->insert(*key).second;
  if (complete && (!options.rebuild || seen)) {
    state.cached = true;
    state.seconds = secondsSince(start);
    return state;
  }

  struct passwd* pw = ::getpwnam(step.user.c_str());
  if (!pw)
    return errorf(fmt::format(
        "prepare \"{}\": user `{}` does not exist on the host (install the "
        "package that creates it)",
        step.name, step.user));

  std::string tmp = fmt::format("{}/.tmp-{}-{}", root, *key, ::getpid());
  llvm::sys::fs::remove_directories(tmp);
  std::string out = tmp + "/out";
  if (::mkdir(tmp.c_str(), 0755) != 0 || ::mkdir(out.c_str(), 0755) != 0 ||
      ::chown(out.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    int err = errno;
    llvm::sys::fs::remove_directories(tmp);
    return errorf(fmt::format("prepare \"{}\": cannot create {}: {}", step.name,
                              out, strerror(err)));
  }

  auto result = run(sandboxArgv(step, *pw, out), /*timeoutMs=*/30 * 60'000);
  if (!result) {
    llvm::sys::fs::remove_directories(tmp);
    return result.takeError();
  }
  if (result->status != 0) {
    // The step's own message names only the file it was writing.
    std::string full = fullFileSystemNote(
        root, "cache",
        result->output.find("No space left on device") != std::string::npos);
    if (!full.empty())
      full = "\n  " + full +
             "; free some space or set XDG_CACHE_HOME to a larger one "
             "(nothing of this step was cached)";
    llvm::sys::fs::remove_directories(tmp);
    return errorf(fmt::format(
        "prepare \"{}\" failed (exit status {}):\n  command: {}\n  user: "
        "{}\n  output:\n{}{}",
        step.name, result->status, step.run, step.user, result->output, full));
  }

  // Publish: the directory first, the record last; readers trust a key only
  // when both exist. A rebuild moves the old output aside first.
  if (llvm::sys::fs::exists(state.outputDir)) {
    ::unlink(record.c_str());
    std::string old = fmt::format("{}/.old-{}-{}", root, *key, ::getpid());
    ::rename(state.outputDir.c_str(), old.c_str());
    llvm::sys::fs::remove_directories(old);
  }
  if (::rename(out.c_str(), state.outputDir.c_str()) != 0) {
    int err = errno;
    llvm::sys::fs::remove_directories(tmp);
    return errorf(
        fmt::format("prepare \"{}\": cannot move output into the "
                    "cache: {}",
                    step.name, strerror(err)));
  }
  llvm::sys::fs::remove_directories(tmp);
  state.seconds = secondsSince(start);

  llvm::json::Array packages;
  for (const auto& [name, version] : versions)
    packages.push_back(
        llvm::json::Object{{"name", name}, {"version", version}});
  llvm::json::Object json{{"key", *key},
                          {"name", step.name},
                          {"command", step.run},
                          {"user", step.user},
                          {"packages", std::move(packages)},
                          {"build_seconds", state.seconds},
                          {"built_at", nowIso()}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(json))) << "\n";
  os.flush();
  if (llvm::Error e = writeFileAtomically(record, text)) return e;
  return state;
}

llvm::Expected<std::vector<CacheEntry>> listPrepared(llvm::StringRef cacheDir) {
  std::vector<CacheEntry> entries;
  std::string root = (cacheDir + "/prepare").str();
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(root, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef path = it->path();
    if (!path.endswith(".json")) continue;
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer) continue;
    auto json = llvm::json::parse((*buffer)->getBuffer());
    if (!json) {
      llvm::consumeError(json.takeError());
      continue;
    }
    const llvm::json::Object* o = json->getAsObject();
    if (!o) continue;
    CacheEntry entry;
    entry.key = o->getString("key").getValueOr("").str();
    entry.name = o->getString("name").getValueOr("").str();
    entry.command = o->getString("command").getValueOr("").str();
    entry.builtAt = o->getString("built_at").getValueOr("").str();
    entry.bytes = treeBytes(root + "/" + entry.key);
    entries.push_back(std::move(entry));
  }
  llvm::sort(entries, [](const CacheEntry& a, const CacheEntry& b) {
    return a.name < b.name || (a.name == b.name && a.key < b.key);
  });
  return entries;
}

llvm::Error cleanPrepared(llvm::StringRef cacheDir) {
  std::string root = (cacheDir + "/prepare").str();
  if (!llvm::sys::fs::exists(root)) return llvm::Error::success();
  auto lock = FileLock::acquire(root + "/.clean.lock");
  if (!lock) return lock.takeError();
  std::error_code ec;
  std::vector<std::string> doomed;
  for (llvm::sys::fs::directory_iterator it(root, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name == ".clean.lock" || name.endswith(".lock")) continue;
    doomed.push_back(it->path());
  }
  // Records first, so no half-removed output is ever trusted.
  for (const std::string& path : doomed)
    if (llvm::StringRef(path).endswith(".json")) ::unlink(path.c_str());
  for (const std::string& path : doomed)
    if (!llvm::StringRef(path).endswith(".json"))
      llvm::sys::fs::remove_directories(path);
  return llvm::Error::success();
}

}  // namespace rig::host
