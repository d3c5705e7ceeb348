#include "runtime/vm/qmp.h"

#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"

namespace rig::vm {
namespace {

// A scripted QEMU: reads one line per step and answers with the step's text
// (where `ID` is replaced by the request's id).
class FakeQemu {
 public:
  FakeQemu() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    client = fds[0];
    server = fds[1];
  }
  ~FakeQemu() {
    if (thread.joinable()) thread.join();
    if (server >= 0) close(server);
  }
  void send(const std::string& s) {
    ASSERT_EQ(write(server, s.data(), s.size()), ssize_t(s.size()));
  }
  std::string readLine() {
    std::string line;
    char c;
    while (read(server, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }
  static std::string idOf(const std::string& request) {
    auto v = llvm::json::parse(request);
    if (!v) {
      llvm::consumeError(v.takeError());
      return "null";
    }
    auto id = v->getAsObject()->getInteger("id");
    return id ? std::to_string(*id) : "null";
  }
  static std::string withId(std::string text, const std::string& id) {
    for (size_t p; (p = text.find("ID")) != std::string::npos;)
      text.replace(p, 2, id);
    return text;
  }
  // Greets, accepts capabilities, then answers each request with `answers`.
  void serve(std::vector<std::string> answers) {
    thread = std::thread([this, answers] {
      send(
          R"({"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": ""}, "capabilities": ["oob"]}})"
          "\r\n");
      std::string caps = readLine();
      seen.push_back(caps);
      send(withId(R"({"return": {}, "id": ID})", idOf(caps)) + "\r\n");
      for (auto& a : answers) {
        std::string req = readLine();
        if (req.empty()) return;
        seen.push_back(req);
        send(withId(a, idOf(req)) + "\r\n");
      }
      close(server);
      server = -1;
    });
  }
  int client = -1;
  int server = -1;
  std::thread thread;
  std::vector<std::string> seen;
};

TEST(Qmp, HandshakeExecuteAndEvents) {
  FakeQemu q;
  q.serve({
      R"({"timestamp": {"seconds": 1, "microseconds": 2}, "event": "NIC_RX_FILTER_CHANGED", "data": {}})"
      "\r\n"
      R"({"return": {"status": "running", "running": true}, "id": ID})",
      R"({"error": {"class": "DeviceNotFound", "desc": "Device 'vlan9' not found"}, "id": ID})",
      R"({"return": "VM status: running\r\n", "id": ID})",
  });
  auto c = QmpClient::fromFd(q.client, 5'000);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ((*c)->qemuVersion(), "7.2.22");

  auto status = (*c)->execute("query-status");
  ASSERT_TRUE(bool(status)) << llvm::toString(status.takeError());
  EXPECT_EQ(status->getAsObject()->getString("status"),
            llvm::StringRef("running"));

  auto bad = (*c)->execute(
      "set_link", llvm::json::Object{{"name", "vlan9"}, {"up", false}});
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "QMP set_link: Device 'vlan9' not found");

  auto hmp = (*c)->humanMonitorCommand("info status");
  ASSERT_TRUE(bool(hmp)) << llvm::toString(hmp.takeError());
  EXPECT_EQ(*hmp, "VM status: running\r\n");

  auto events = (*c)->takeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].getAsObject()->getString("event"),
            llvm::StringRef("NIC_RX_FILTER_CHANGED"));
  EXPECT_TRUE((*c)->takeEvents().empty());

  // Every request carried its own id and the right shape.
  ASSERT_EQ(q.seen.size(), 4u);
  EXPECT_EQ(q.seen[0], R"({"execute":"qmp_capabilities","id":0})");
  EXPECT_EQ(q.seen[1], R"({"execute":"query-status","id":1})");
  EXPECT_EQ(
      q.seen[2],
      R"({"arguments":{"name":"vlan9","up":false},"execute":"set_link","id":2})");
  EXPECT_EQ(
      q.seen[3],
      R"({"arguments":{"command-line":"info status"},"execute":"human-monitor-command","id":3})");

  // QEMU went away: calls fail and say so.
  q.thread.join();
  auto gone = (*c)->execute("quit");
  ASSERT_FALSE(bool(gone));
  EXPECT_NE(llvm::toString(gone.takeError()).find("QMP connection closed"),
            std::string::npos);
}

TEST(Qmp, SkipsAnswersToOtherIds) {
  FakeQemu q;
  q.serve({R"({"return": {}, "id": 999})"
           "\r\n"
           R"({"return": 42, "id": ID})"});
  auto c = QmpClient::fromFd(q.client, 5'000);
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  auto r = (*c)->execute("query-something");
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->getAsInteger().getValueOr(0), 42);
}

TEST(Qmp, TimesOutWithoutGreeting) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  auto c = QmpClient::fromFd(fds[0], 200);
  ASSERT_FALSE(bool(c));
  EXPECT_NE(llvm::toString(c.takeError()).find("no answer from QEMU in time"),
            std::string::npos);
  close(fds[1]);
}

TEST(Qmp, ConnectFailsOnMissingSocket) {
  auto c = QmpClient::connect("/nonexistent/rig/qmp.sock", 100);
  ASSERT_FALSE(bool(c));
  EXPECT_NE(llvm::toString(c.takeError())
                .find("cannot connect to QMP at /nonexistent/rig/qmp.sock"),
            std::string::npos);
}

}  // namespace
}  // namespace rig::vm
