#include "runtime/guest/manifest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>

#include "runtime/guest/net.h"
#include "runtime/guest/stage1.h"
#include "runtime/guest/sys.h"
#include "runtime/protocol/wire.h"

namespace rig::guest {
namespace {

const std::map<std::string_view, size_t>& arities() {
  static const std::map<std::string_view, size_t> table = {
      {"version", 1}, {"hostname", 1}, {"iface", 2},   {"sysctl", 2},
      {"dir", 4},     {"attr", 4},     {"symlink", 2}, {"mask", 1},
      {"overlay", 2}, {"disk", 3},
  };
  return table;
}

bool parseOctal(const std::string& text, mode_t& out) {
  if (text.empty() || text.size() > 5) return false;
  for (char c : text)
    if (c < '0' || c > '7') return false;
  out = static_cast<mode_t>(std::strtoul(text.c_str(), nullptr, 8));
  return true;
}

bool parseId(const std::string& text, unsigned& out) {
  if (text.empty() || text.size() > 10) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  out = static_cast<unsigned>(std::strtoul(text.c_str(), nullptr, 10));
  return true;
}

std::string at(const Directive& d) {
  return "manifest:" + std::to_string(d.line) + ": ";
}

}  // namespace

bool parseManifest(std::string_view text, Manifest& out, std::string& error) {
  out = Manifest();
  int lineNo = 0;
  bool sawVersion = false;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::string where = "manifest:" + std::to_string(lineNo) + ": ";
    Directive d;
    d.line = lineNo;
    std::vector<std::string> fields;
    size_t start = 0;
    for (;;) {
      size_t sp = line.find(' ', start);
      std::string_view raw =
          line.substr(start, sp == std::string_view::npos ? sp : sp - start);
      std::string decoded;
      if (raw.empty()) {
        error = where + "empty field (fields are separated by single spaces)";
        return false;
      }
      if (!protocol::percentDecode(raw, decoded)) {
        error = where + "bad percent-encoding in `" + std::string(raw) + "`";
        return false;
      }
      fields.push_back(std::move(decoded));
      if (sp == std::string_view::npos) break;
      start = sp + 1;
    }
    d.verb = fields.front();
    d.args.assign(fields.begin() + 1, fields.end());
    auto it = arities().find(d.verb);
    if (it == arities().end()) {
      error = where + "unknown directive `" + d.verb + "`";
      return false;
    }
    if (d.args.size() != it->second) {
      error = where + "`" + d.verb + "` takes " + std::to_string(it->second) +
              (it->second == 1 ? " field, got " : " fields, got ") +
              std::to_string(d.args.size());
      return false;
    }
    if (d.verb == "version") {
      if (sawVersion || !out.directives.empty()) {
        error = where + "`version` must be the first directive, once";
        return false;
      }
      if (d.args[0] != std::to_string(kManifestVersion)) {
        error = where + "manifest version " + d.args[0] +
                " is not supported (this rig-guest reads " +
                std::to_string(kManifestVersion) + ")";
        return false;
      }
      sawVersion = true;
      out.version = kManifestVersion;
      continue;
    }
    if (!sawVersion) {
      error = where + "expected `version " + std::to_string(kManifestVersion) +
              "` first";
      return false;
    }
    // Field checks that need no file system, so a bad manifest fails early.
    if (d.verb == "dir" || d.verb == "attr") {
      mode_t mode;
      unsigned id;
      if (!parseOctal(d.args[1], mode)) {
        error = where + "bad mode `" + d.args[1] + "` (octal expected)";
        return false;
      }
      if (!parseId(d.args[2], id) || !parseId(d.args[3], id)) {
        error = where + "bad uid/gid `" + d.args[2] + " " + d.args[3] +
                "` (numbers expected)";
        return false;
      }
    }
    for (size_t i = 0; i < d.args.size(); ++i) {
      bool isPath =
          (d.verb == "dir" || d.verb == "attr" || d.verb == "mask") ? i == 0
          : d.verb == "symlink" || d.verb == "overlay" || d.verb == "disk"
              ? i == 1
              : false;
      if (isPath && d.args[i].front() != '/') {
        error = where + "path `" + d.args[i] + "` is not absolute";
        return false;
      }
    }
    out.directives.push_back(std::move(d));
  }
  if (!sawVersion) {
    error = "manifest: empty (expected `version " +
            std::to_string(kManifestVersion) + "`)";
    return false;
  }
  return true;
}

bool copyTree(const std::string& from, const std::string& to,
              std::string& error) {
  DIR* dir = ::opendir(from.c_str());
  if (!dir) {
    error = "cannot open directory " + from + ": " + errnoText(errno);
    return false;
  }
  bool ok = true;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string src = from + "/" + name, dst = to + "/" + name;
    struct stat st;
    if (::lstat(src.c_str(), &st) != 0) {
      error = "cannot stat " + src + ": " + errnoText(errno);
      ok = false;
      break;
    }
    if (S_ISDIR(st.st_mode)) {
      // A directory that exists keeps its mode and owner (root/etc must not
      // make the guest's /etc 0700); a new one takes the source's mode.
      if (::mkdir(dst.c_str(), st.st_mode & 07777) == 0) {
        ::chmod(dst.c_str(), st.st_mode & 07777);
        ::lchown(dst.c_str(), 0, 0);
      } else if (errno != EEXIST) {
        error = "cannot create directory " + dst + ": " + errnoText(errno);
        ok = false;
        break;
      }
      if (!(ok = copyTree(src, dst, error))) break;
    } else if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = ::readlink(src.c_str(), target, sizeof target - 1);
      if (n < 0) {
        error = "cannot read link " + src + ": " + errnoText(errno);
        ok = false;
        break;
      }
      target[n] = 0;
      ::unlink(dst.c_str());
      if (::symlink(target, dst.c_str()) != 0) {
        error = "cannot create symlink " + dst + ": " + errnoText(errno);
        ok = false;
        break;
      }
      ::lchown(dst.c_str(), 0, 0);
    } else if (S_ISREG(st.st_mode)) {
      std::string data;
      // Replace rather than write through: the old file may be a symlink.
      ::unlink(dst.c_str());
      if (!readWholeFile(src, data, error) ||
          !writeWholeFile(dst, data, st.st_mode & 07777, error)) {
        ok = false;
        break;
      }
      ::chown(dst.c_str(), 0, 0);
    }
  }
  ::closedir(dir);
  return ok;
}

bool applyManifest(const Manifest& manifest, const std::string& configDir,
                   const std::string& root, std::string& error) {
  struct stat st;
  std::string configRoot = configDir + "/root";
  if (::stat((configRoot + "/usr").c_str(), &st) == 0 &&
      !overlayUsr(configRoot + "/usr", root, error))
    return false;
  if (::stat(configRoot.c_str(), &st) == 0 &&
      !copyTree(configRoot, root, error))
    return false;
  for (const Directive& d : manifest.directives) {
    const auto& a = d.args;
    std::string where = at(d);
    if (d.verb == "hostname") {
      if (::sethostname(a[0].data(), a[0].size()) != 0) {
        error = where + "sethostname: " + errnoText(errno);
        return false;
      }
      // systemd sets the hostname from /etc/hostname again: keep them equal.
      if (!writeWholeFile(root + "/etc/hostname", a[0] + "\n", 0644, error)) {
        error = where + error;
        return false;
      }
    } else if (d.verb == "iface") {
      if (!configureInterface(a[0], a[1], error)) {
        error = where + error;
        return false;
      }
    } else if (d.verb == "sysctl") {
      std::string key = a[0];
      for (char& c : key)
        if (c == '.') c = '/';
      if (!writeExistingFile("/proc/sys/" + key, a[1], error)) {
        error = where + "sysctl " + a[0] + ": " + error;
        return false;
      }
    } else if (d.verb == "dir" || d.verb == "attr") {
      mode_t mode;
      unsigned uid, gid;
      parseOctal(a[1], mode);
      parseId(a[2], uid);
      parseId(a[3], gid);
      std::string path = root + a[0];
      if (d.verb == "dir" && !makeDirs(path, 0755, error)) {
        error = where + error;
        return false;
      }
      if (::chown(path.c_str(), uid, gid) != 0 ||
          ::chmod(path.c_str(), mode) != 0) {
        error = where + "cannot chown/chmod " + a[0] + ": " + errnoText(errno);
        return false;
      }
    } else if (d.verb == "symlink") {
      std::string path = root + a[1];
      if (!makeDirs(parentDir(path), 0755, error)) {
        error = where + error;
        return false;
      }
      ::unlink(path.c_str());
      if (::symlink(a[0].c_str(), path.c_str()) != 0) {
        error =
            where + "cannot create symlink " + a[1] + ": " + errnoText(errno);
        return false;
      }
    } else if (d.verb == "mask") {
      std::string path = root + a[0];
      if (::lstat(path.c_str(), &st) != 0) continue;  // nothing to hide
      if (S_ISDIR(st.st_mode)) {
        if (::mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                    "mode=0700") != 0) {
          error =
              where + "cannot mask directory " + a[0] + ": " + errnoText(errno);
          return false;
        }
      } else {
        ::unlink(path.c_str());  // a symlink must not lead the write elsewhere
        if (!writeWholeFile(path, "", 0600, error)) {
          error = where + error;
          return false;
        }
      }
    } else if (d.verb == "overlay") {
      if (!mountPreparedOverlay(a[0], root, a[1], error)) {
        error = where + error;
        return false;
      }
    } else if (d.verb == "disk") {
      if (!mountDisk(a[0], root + a[1], a[2], error)) {
        error = where + "disk " + a[1] + ": " + error;
        return false;
      }
    }
  }
  return true;
}

}  // namespace rig::guest
