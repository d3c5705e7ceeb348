// The host side of the agent protocol (README.md in this folder): a client
// for the rig-guest agent behind QEMU's virtio-serial chardev socket.
//
// Threading: every call may be made from any thread, several at once; a
// reader thread matches responses to calls by request id. Each call has a
// host-side limit (`callTimeoutMs`, 0 = none); when it passes the call fails
// with "timed out" and a late response is dropped. When the socket closes
// (QEMU exited) every pending and every future call fails at once with an
// error that says the connection is closed. While calls wait, a heartbeat
// hello every 500 ms notices an agent the guest restarted (its calls fail
// at once: "the guest agent on NODE stopped") or one silent for
// kHeartbeatSilenceMs (every waiting call fails).
#ifndef RIG_RUNTIME_PROTOCOL_AGENT_CLIENT_H
#define RIG_RUNTIME_PROTOCOL_AGENT_CLIENT_H

#include <cstdint>
#include <memory>
#include <string>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "runtime/machine/machine.h"
#include "runtime/protocol/wire.h"

namespace rig::protocol {

// What the guest said in the handshake.
struct AgentInfo {
  int64_t version =
      0;  // protocol version (always kProtocolVersion once connected)
  std::string agent;            // e.g. "rig-guest 0.1.0"
  std::string hostname;         // the guest's hostname at handshake time
  bool systemdRunning = false;  // PID 1 is systemd
  std::string bootId;  // changes on every boot: tells a reboot happened
  double uptimeSeconds = 0;
};

// A call waits; the heartbeat got no answer for this long: the agent is
// wedged and every waiting call fails.
inline constexpr double kHeartbeatSilenceMs = 15'000;

enum class PowerAction : uint8_t { PowerOff, Reboot };

class AgentClient {
 public:
  // Connects to QEMU's chardev socket (retrying while the socket file does not
  // exist yet or refuses), then handshakes: sends a hello every ~200 ms until
  // the guest answers (the guest opens its port late, and QEMU holds the
  // bytes until it does). Fails after `timeoutMs` with what it last saw, or
  // at once if the guest speaks another protocol version.
  static llvm::Expected<std::unique_ptr<AgentClient>> connect(
      llvm::StringRef socketPath, double timeoutMs);

  // Closes the socket and joins the reader. Every call must have returned:
  // to end calls in flight, close() first (any thread), destroy afterwards.
  ~AgentClient();
  AgentClient(const AgentClient&) = delete;
  AgentClient& operator=(const AgentClient&) = delete;

  // Handshakes again on the same connection, e.g. after the guest rebooted
  // (its agent starts afresh; the chardev socket stays connected).
  llvm::Expected<AgentInfo> handshake(double timeoutMs);
  const AgentInfo& info() const { return info_; }

  // One round trip; fails if no answer within `timeoutMs`.
  llvm::Error ping(double timeoutMs = 5'000);

  // `sh -c` as root. request.timeoutMs (0 = none) is enforced by the guest,
  // which kills the command's whole process group and sets timedOut. The
  // host-side limit is that plus 10 s unless `callTimeoutMs` is given.
  llvm::Expected<machine::ExecResult> execute(
      const machine::ExecRequest& request, double callTimeoutMs = -1);
  // A TCP connect from inside the guest (`address` is an IPv4/IPv6 literal or
  // a name from the guest's /etc/hosts). true = something accepted.
  llvm::Expected<bool> isPortOpen(llvm::StringRef address, int port,
                                  double callTimeoutMs = 10'000);
  llvm::Expected<bool> isUnixSocketOpen(llvm::StringRef path,
                                        double callTimeoutMs = 10'000);
  // Files larger than `maxBytes` (0 = kDefaultMaxOutputBytes) fail.
  llvm::Expected<std::string> readFile(llvm::StringRef path,
                                       double callTimeoutMs = 60'000,
                                       uint64_t maxBytes = 0);
  // Creates missing parent directories; `mode` applies to the file.
  llvm::Error writeFile(llvm::StringRef path, llvm::StringRef data,
                        uint32_t mode = 0644, double callTimeoutMs = 60'000);
  // An HTTP/1.1 request made by the guest; host-side limit is
  // request.timeoutMs + 5 s unless given.
  llvm::Expected<machine::HttpResponse> http(
      const machine::HttpRequest& request, double callTimeoutMs = -1);
  // Asks the guest to power off or reboot (systemctl when systemd is PID 1,
  // else sync + reboot(2)). Returns once the guest acknowledged; the VM goes
  // down shortly after.
  llvm::Error shutdown(PowerAction action, double callTimeoutMs = 10'000);

  // Names the node in messages ("the guest agent on NODE stopped").
  void setNodeName(std::string name);

  // True once the socket has closed (or close() was called).
  bool closed() const;
  // Closes the connection; pending and future calls fail.
  void close();

  // Raw call, for tools and tests: sends `request` (its id is assigned here)
  // and waits for the response. A response carrying an `error` field becomes
  // an llvm::Error with that text.
  llvm::Expected<Message> call(Message request, double callTimeoutMs);

 private:
  struct State;
  explicit AgentClient(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
  AgentInfo info_;
};

}  // namespace rig::protocol

#endif
