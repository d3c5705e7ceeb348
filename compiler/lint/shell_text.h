// Reading the strings of a spec the way the guest will: shell commands
// (`curl ...`), URLs and `host:port` endpoints, IPv4 addresses. Positions
// are byte offsets into the evaluated string (see Const::rangeOf).
#ifndef RIG_COMPILER_LINT_SHELL_TEXT_H
#define RIG_COMPILER_LINT_SHELL_TEXT_H

#include <cstdint>
#include <string>
#include <vector>

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace rig::lint {

// `http://server:3000/x`, `server:3000`, `https://server/` (port 443).
struct Endpoint {
  std::string host;
  int64_t port = 0;
  uint32_t begin = 0;  // the `host[:port]` text
  uint32_t length = 0;
};

// Endpoints whose host passes `isHost` (node names, `localhost`, ...).
std::vector<Endpoint> findEndpoints(
    llvm::StringRef text, llvm::function_ref<bool(llvm::StringRef)> isHost);

// The program of the simple command whose words include byte `offset` of
// `command` (`grep` for the pattern in `ss -tln | grep :80`), after
// assignments and prefixes such as `sudo`; "" when `offset` is in no word.
std::string programAt(llvm::StringRef command, size_t offset);

// One `curl` command in a shell command line.
struct CurlCommand {
  uint32_t begin = 0;  // the word `curl`
  uint32_t length = 0;
  bool fails = false;           // --fail, --fail-with-body, -f, -sf, ...
  bool inspectsStatus = false;  // -w/--write-out, -i/--include, -I/--head
  bool failureHandled = false;  // followed by `||`
  bool http = false;            // an argument is an http:// or https:// URL
};
std::vector<CurlCommand> findCurlCommands(llvm::StringRef command);

// `192.168.V.N` (or a prefix of it, when the rest is not known).
struct PrivateAddress {
  uint32_t begin = 0;
  uint32_t length = 0;
  int64_t vlan = -1;  // -1 when not known
  int64_t host = -1;
};
std::vector<PrivateAddress> findPrivateAddresses(llvm::StringRef text);

}  // namespace rig::lint

#endif
