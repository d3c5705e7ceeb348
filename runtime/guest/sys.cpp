#include "runtime/guest/sys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "runtime/protocol/wire.h"

namespace rig::guest {

void say(std::string_view text) {
  std::string line = "rig-guest: ";
  line += text;
  line += '\n';
  protocol::writeAll(2, line);
}

std::string errnoText(int err) { return std::strerror(err); }

bool readWholeFile(const std::string& path, std::string& out,
                   std::string& error, size_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + errnoText(errno);
    return false;
  }
  out.clear();
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "cannot read " + path + ": " + errnoText(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limit) {
      error = path + " is larger than " + std::to_string(limit) + " bytes";
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

bool writeWholeFile(const std::string& path, std::string_view data, mode_t mode,
                    std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    error = "cannot create " + path + ": " + errnoText(errno);
    return false;
  }
  if (!protocol::writeAll(fd, data)) {
    error = "cannot write " + path + ": " + errnoText(errno);
    ::close(fd);
    return false;
  }
  if (::fchmod(fd, mode) != 0) {
    error = "cannot chmod " + path + ": " + errnoText(errno);
    ::close(fd);
    return false;
  }
  if (::close(fd) != 0) {
    error = "cannot write " + path + ": " + errnoText(errno);
    return false;
  }
  return true;
}

bool writeExistingFile(const std::string& path, std::string_view data,
                       std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + errnoText(errno);
    return false;
  }
  bool ok = protocol::writeAll(fd, data);
  if (!ok) error = "cannot write " + path + ": " + errnoText(errno);
  ::close(fd);
  return ok;
}

bool makeDirs(const std::string& path, mode_t mode, std::string& error) {
  if (path.empty()) return true;
  std::string prefix;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    prefix = path.substr(0, slash);
    pos = slash + 1;
    if (prefix.empty()) continue;
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      error = "cannot create directory " + prefix + ": " + errnoText(errno);
      return false;
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = path + " exists and is not a directory";
    return false;
  }
  return true;
}

std::string parentDir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

double uptimeSeconds() {
  std::string text, error;
  if (!readWholeFile("/proc/uptime", text, error)) return -1;
  return std::atof(text.c_str());
}

}  // namespace rig::guest
