#include "runtime/guest/net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "runtime/guest/sys.h"

namespace rig::guest {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string findInterfaceByMac(const std::string& mac) {
  DIR* dir = ::opendir("/sys/class/net");
  if (!dir) return "";
  std::string found;
  while (struct dirent* e = ::readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string text, error;
    if (!readWholeFile("/sys/class/net/" + name + "/address", text, error))
      continue;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
      text.pop_back();
    if (lower(text) == lower(mac)) {
      found = name;
      break;
    }
  }
  ::closedir(dir);
  return found;
}

bool parseLiteral(const std::string& host, int port, Address& out) {
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']')
    h = h.substr(1, h.size() - 2);
  sockaddr_in v4{};
  if (::inet_pton(AF_INET, h.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&out.storage, &v4, sizeof v4);
    out.length = sizeof v4;
    return true;
  }
  sockaddr_in6 v6{};
  if (::inet_pton(AF_INET6, h.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&out.storage, &v6, sizeof v6);
    out.length = sizeof v6;
    return true;
  }
  return false;
}

// 0 or the errno of the failing ioctl.
int setUp(const std::string& name) {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return errno;
  ifreq req{};
  std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
  int err = 0;
  if (::ioctl(s, SIOCGIFFLAGS, &req) != 0) {
    err = errno;
  } else {
    req.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (::ioctl(s, SIOCSIFFLAGS, &req) != 0) err = errno;
  }
  ::close(s);
  return err;
}

// 0 or the errno of the failing ioctl.
int setIPv4(const std::string& name, in_addr addr, int prefix) {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return errno;
  ifreq req{};
  std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
  auto* sin = reinterpret_cast<sockaddr_in*>(&req.ifr_addr);
  sin->sin_family = AF_INET;
  sin->sin_addr = addr;
  int err = 0;
  if (::ioctl(s, SIOCSIFADDR, &req) != 0) {
    err = errno;
  } else {
    uint32_t mask = prefix == 0 ? 0 : htonl(~uint32_t(0) << (32 - prefix));
    sin = reinterpret_cast<sockaddr_in*>(&req.ifr_netmask);
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = mask;
    if (::ioctl(s, SIOCSIFNETMASK, &req) != 0) err = errno;
  }
  ::close(s);
  return err;
}

void sleepMs(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1'000'000};
  ::nanosleep(&ts, nullptr);
}

}  // namespace

bool bringUpInterface(const std::string& name, std::string& error) {
  int err = setUp(name);
  if (err != 0) error = "cannot bring up " + name + ": " + errnoText(err);
  return err == 0;
}

bool configureInterface(const std::string& mac, const std::string& cidr,
                        std::string& error) {
  size_t slash = cidr.find('/');
  std::string address = cidr.substr(0, slash);
  int prefix =
      slash == std::string::npos ? 24 : std::atoi(cidr.c_str() + slash + 1);
  in_addr addr{};
  if (::inet_pton(AF_INET, address.c_str(), &addr) != 1 || prefix < 0 ||
      prefix > 32) {
    error = "bad IPv4 address `" + cidr + "`";
    return false;
  }
  // Up to 5 s for the interface to appear. A container's veth may also be
  // renamed under us (rig moves rcNvM in, systemd or udev names it ethK):
  // ENODEV means "look it up by its MAC again".
  std::string name;
  int err = ENODEV;
  for (int i = 0; i < 100; ++i) {
    name = findInterfaceByMac(mac);
    if (!name.empty()) {
      err = setIPv4(name, addr, prefix);
      if (err == 0) err = setUp(name);
      if (err != ENODEV) break;
    }
    sleepMs(50);
  }
  if (name.empty()) {
    error = "no network interface has MAC " + mac;
    return false;
  }
  if (err != 0)
    error = "cannot set " + cidr + " on " + name + ": " + errnoText(err);
  return err == 0;
}

std::vector<std::string> lookupHosts(std::string_view text,
                                     std::string_view name) {
  std::vector<std::string> out;
  auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && isSpace(line[i])) ++i;
      size_t start = i;
      while (i < line.size() && !isSpace(line[i])) ++i;
      if (i > start) words.push_back(line.substr(start, i - start));
    }
    for (size_t w = 1; w < words.size(); ++w)
      if (lower(std::string(words[w])) == lower(std::string(name))) {
        out.emplace_back(words[0]);
        break;
      }
  }
  return out;
}

bool resolveHost(const std::string& host, int port, std::vector<Address>& out,
                 std::string& error) {
  out.clear();
  Address a;
  if (parseLiteral(host, port, a)) {
    out.push_back(a);
    return true;
  }
  std::string hosts, ignored;
  readWholeFile("/etc/hosts", hosts, ignored, 1 << 20);
  for (const std::string& literal : lookupHosts(hosts, host))
    if (parseLiteral(literal, port, a)) out.push_back(a);
  if (out.empty() && lower(host) == "localhost") {
    parseLiteral("127.0.0.1", port, a);
    out.push_back(a);
  }
  if (out.empty()) {
    error = "cannot resolve `" + host +
            "` (not an IP address and not in /etc/hosts)";
    return false;
  }
  return true;
}

int connectWithTimeout(const Address& address, int timeoutMs,
                       std::string& error) {
  int s = ::socket(address.storage.ss_family,
                   SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s < 0) {
    error = "socket: " + errnoText(errno);
    return -1;
  }
  if (::connect(s, reinterpret_cast<const sockaddr*>(&address.storage),
                address.length) != 0) {
    if (errno != EINPROGRESS) {
      error = errnoText(errno);
      ::close(s);
      return -1;
    }
    pollfd p = {s, POLLOUT, 0};
    int n;
    do n = ::poll(&p, 1, timeoutMs);
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
      error = "connect timed out";
      ::close(s);
      return -1;
    }
    int soError = 0;
    socklen_t len = sizeof soError;
    ::getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &len);
    if (soError != 0) {
      error = errnoText(soError);
      ::close(s);
      return -1;
    }
  }
  int flags = ::fcntl(s, F_GETFL);
  ::fcntl(s, F_SETFL, flags & ~O_NONBLOCK);
  return s;
}

}  // namespace rig::guest
