// Networking in the guest without external tools: interface addresses by
// ioctl, name resolution from /etc/hosts (a static binary has no NSS).
#ifndef RIG_RUNTIME_GUEST_NET_H
#define RIG_RUNTIME_GUEST_NET_H

#include <sys/socket.h>

#include <string>
#include <string_view>
#include <vector>

namespace rig::guest {

// Finds the interface whose MAC is `mac` (waiting up to 5 s for it to
// appear), sets `cidr` ("192.168.1.2/24") and brings it up.
bool configureInterface(const std::string& mac, const std::string& cidr,
                        std::string& error);
bool bringUpInterface(const std::string& name, std::string& error);

// The addresses /etc/hosts-format `text` gives `name`, in file order.
std::vector<std::string> lookupHosts(std::string_view text,
                                     std::string_view name);

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

// An IPv4/IPv6 literal (brackets allowed), `localhost`, or a name in
// /etc/hosts. `port` is set in every result.
bool resolveHost(const std::string& host, int port, std::vector<Address>& out,
                 std::string& error);

// Connects with a time limit; returns the socket or -1 (`error` set).
int connectWithTimeout(const Address& address, int timeoutMs,
                       std::string& error);

}  // namespace rig::guest

#endif
