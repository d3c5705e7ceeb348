#include "runtime/guest/net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
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

// RTM_NEWADDR over rtnetlink: any number of addresses of either family on
// one interface (ioctl sets one IPv4 address only). IPv6 addresses skip
// duplicate address detection, so they are usable at once, as the IPv4 ones.
// 0 or the errno of the failure.
int addAddress(unsigned ifindex, int family, const void* addr, size_t addrLen,
               int prefix) {
  int s = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s < 0) return errno;
  struct {
    nlmsghdr header;
    ifaddrmsg message;
    char attrs[64];
  } req{};
  req.header.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  req.header.nlmsg_type = RTM_NEWADDR;
  req.header.nlmsg_flags =
      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
  req.header.nlmsg_seq = 1;
  req.message.ifa_family = static_cast<unsigned char>(family);
  req.message.ifa_prefixlen = static_cast<unsigned char>(prefix);
  req.message.ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
  req.message.ifa_scope = RT_SCOPE_UNIVERSE;
  req.message.ifa_index = ifindex;
  auto addAttr = [&](unsigned short type, const void* data, size_t len) {
    auto* rta = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&req) +
                                          NLMSG_ALIGN(req.header.nlmsg_len));
    rta->rta_type = type;
    rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
    std::memcpy(RTA_DATA(rta), data, len);
    req.header.nlmsg_len =
        NLMSG_ALIGN(req.header.nlmsg_len) + RTA_ALIGN(rta->rta_len);
  };
  addAttr(IFA_LOCAL, addr, addrLen);
  addAttr(IFA_ADDRESS, addr, addrLen);
  if (family == AF_INET) {
    // The broadcast address of the subnet, as `ip addr add ... brd +`.
    uint32_t a;
    std::memcpy(&a, addr, 4);
    uint32_t mask = prefix == 0 ? 0 : htonl(~uint32_t(0) << (32 - prefix));
    uint32_t broadcast = a | ~mask;
    if (prefix < 31) addAttr(IFA_BROADCAST, &broadcast, 4);
  }
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  int err = 0;
  if (::sendto(s, &req, req.header.nlmsg_len, 0,
               reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0)
    err = errno;
  char reply[1024];
  while (err == 0) {
    ssize_t n = ::recv(s, reply, sizeof reply, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < static_cast<ssize_t>(NLMSG_LENGTH(sizeof(nlmsgerr)))) {
      err = n < 0 ? errno : EIO;  // no answer
      break;
    }
    auto* h = reinterpret_cast<nlmsghdr*>(reply);
    if (h->nlmsg_type != NLMSG_ERROR) continue;
    err = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
    break;
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
  unsigned char bytes[16];
  int family = AF_INET;
  if (::inet_pton(AF_INET, address.c_str(), bytes) != 1) {
    family = AF_INET6;
    if (::inet_pton(AF_INET6, address.c_str(), bytes) != 1) {
      error = "bad IP address `" + cidr + "`";
      return false;
    }
  }
  int max = family == AF_INET ? 32 : 128;
  int prefix = slash == std::string::npos ? (family == AF_INET ? 24 : 64)
                                          : std::atoi(cidr.c_str() + slash + 1);
  if (prefix < 0 || prefix > max) {
    error = "bad prefix length in `" + cidr + "`";
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
      // Up first: an IPv6 address added to a link that is down is dropped
      // when it comes up.
      err = setUp(name);
      if (err == 0) {
        unsigned index = ::if_nametoindex(name.c_str());
        err = index == 0 ? errno
                         : addAddress(index, family, bytes,
                                      family == AF_INET ? 4 : 16, prefix);
      }
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
