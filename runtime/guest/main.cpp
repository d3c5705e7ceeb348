// rig-guest: /init of a rig node's initramfs (stage 1, then systemd and the
// agent), or `rig-guest agent [DEVICE]` to run only the agent.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "runtime/guest/agent.h"
#include "runtime/guest/stage1.h"
#include "runtime/guest/sys.h"
#include "runtime/protocol/wire.h"

int main(int argc, char** argv) {
  if (::getpid() == 1 && argc >= 2 &&
      std::strcmp(argv[1], "container-init") == 0)
    rig::guest::runContainerStage1(argc - 1, argv + 1);
  if (::getpid() == 1) rig::guest::runStage1(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], "agent") == 0) {
    std::string error;
    rig::guest::runAgent(argc >= 3 ? argv[2] : "", error);
    rig::guest::say("agent failed: " + error);
    return 1;
  }
  if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("rig-guest 0.1.0 (protocol %lld)\n",
                static_cast<long long>(rig::protocol::kProtocolVersion));
    return 0;
  }
  std::fprintf(
      stderr,
      "usage: rig-guest agent [DEVICE]   serve the agent protocol (default: "
      "the\n"
      "                                  virtio-serial port org.rig.agent)\n"
      "       rig-guest --version\n"
      "As PID 1 (/init of the initramfs) it runs stage 1: see "
      "runtime/guest/README.md.\n");
  return 2;
}
