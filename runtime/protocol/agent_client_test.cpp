// AgentClient against the real request handlers of rig-guest, served on a
// unix socket by a fake "QEMU + guest" in this process.
#include "runtime/protocol/agent_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include "runtime/guest/agent.h"

namespace rig::protocol {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Listens on a unix socket like QEMU's chardev; serves the agent protocol on
// the first connection with rig-guest's handlers.
struct FakeGuestOptions {
  std::chrono::milliseconds openDelay{0};  // the guest opens its port late
  int64_t version = kProtocolVersion;
  std::chrono::milliseconds helloDelay{
      0};  // a guest slower than the resend interval
  // The agent dies this long after the connection and a new one takes over
  // (0 = never): the calls it had are never answered, hellos name another
  // instance.
  std::chrono::milliseconds restartAfter{0};
};

class FakeGuest {
 public:
  using Options = FakeGuestOptions;

  explicit FakeGuest(Options options = {}) : options_(options) {
    // Answers to a client that already hung up (as rig-guest does too).
    ::signal(SIGPIPE, SIG_IGN);
    char dir[] = "/tmp/rig-agent-test.XXXXXX";
    dir_ = ::mkdtemp(dir);
    path_ = dir_ + "/agent.sock";
    listenFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, path_.c_str());
    EXPECT_EQ(
        ::bind(listenFd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listenFd_, 4), 0);
    thread_ = std::thread([this] { serve(); });
  }

  ~FakeGuest() {
    kill();
    thread_.join();
    ::close(listenFd_);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }

  // Like QEMU exiting: the connection closes.
  void kill() {
    stopping_ = true;
    ::shutdown(listenFd_, SHUT_RDWR);
    int fd = connFd_.exchange(-1);
    if (fd >= 0) {
      ::shutdown(fd, SHUT_RDWR);
      ::close(fd);
    }
  }

  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  void serve() {
    int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    connFd_ = fd;
    std::this_thread::sleep_for(options_.openDelay);
    auto connected = Clock::now();
    auto restarted = [&] {
      return options_.restartAfter.count() > 0 &&
             Clock::now() - connected >= options_.restartAfter;
    };
    FrameReader frames;
    char buf[65536];
    std::vector<std::thread> workers;
    while (!stopping_) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      frames.append(buf, static_cast<size_t>(n));
      Message request;
      std::string error;
      while (frames.next(request, error) == DecodeStatus::Ok) {
        workers.emplace_back([this, fd, request, restarted,
                              before = restarted()] {
          Message response = guest::handleRequest(request);
          if (request.type == MessageType::Hello) {
            std::this_thread::sleep_for(options_.helloDelay);
            response.fields.erase(response.fields.begin());  // the real version
            response.addInt("version", options_.version);
            if (restarted()) {
              for (auto& [key, value] : response.fields)
                if (key == "instance") value = "the restarted agent";
            }
          }
          if (!before && restarted()) return;  // the dead agent's call
          std::lock_guard<std::mutex> lock(writeMu_);
          if (!stopping_) writeAll(fd, encodeFrame(response));
        });
      }
    }
    for (auto& w : workers) w.join();
  }

  Options options_;
  std::string dir_, path_;
  int listenFd_ = -1;
  std::atomic<int> connFd_{-1};
  std::atomic<bool> stopping_{false};
  std::mutex writeMu_;
  std::thread thread_;
};

std::unique_ptr<AgentClient> connectOrFail(const std::string& path,
                                           double ms = 5000) {
  auto client = AgentClient::connect(path, ms);
  if (!client) {
    ADD_FAILURE() << llvm::toString(client.takeError());
    return nullptr;
  }
  return std::move(*client);
}

TEST(AgentClient, EveryOperation) {
  FakeGuest guest;
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  EXPECT_EQ(client->info().version, kProtocolVersion);
  EXPECT_EQ(client->info().agent, "rig-guest 0.1.0");
  EXPECT_EQ(client->info().bootId.size(), 36u);  // a UUID
  EXPECT_GT(client->info().uptimeSeconds, 0);

  machine::ExecRequest exec;
  exec.command = "printf 'x\\000y'; echo e >&2; exit 4";
  auto r = client->execute(exec);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->status, 4);
  EXPECT_EQ(r->stdoutText, std::string("x\0y", 3));
  EXPECT_EQ(r->stderrText, "e\n");

  std::string file = guest.dir() + "/sub/dir/f.bin";
  std::string data("\0\1\2 binary", 10);
  ASSERT_FALSE(bool(client->writeFile(file, data, 0600)));
  auto read = client->readFile(file);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(*read, data);
  auto missing = client->readFile(guest.dir() + "/nope");
  ASSERT_FALSE(bool(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()),
            "read-file: cannot open " + guest.dir() +
                "/nope: No such file or directory");
  ::unlink(file.c_str());
  ::rmdir((guest.dir() + "/sub/dir").c_str());
  ::rmdir((guest.dir() + "/sub").c_str());

  auto unixOpen = client->isUnixSocketOpen(guest.path());
  ASSERT_TRUE(bool(unixOpen));
  EXPECT_TRUE(*unixOpen);
  auto unixClosed = client->isUnixSocketOpen(guest.dir() + "/none.sock");
  ASSERT_TRUE(bool(unixClosed));
  EXPECT_FALSE(*unixClosed);

  // A one-shot HTTP server with a chunked answer, for the port check and http.
  int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::listen(server, 4);
  auto open = client->isPortOpen("127.0.0.1", port);
  ASSERT_TRUE(bool(open));
  EXPECT_TRUE(*open);
  ::close(::accept(server, nullptr, nullptr));  // the port check's connection
  std::thread http([server] {
    int c = ::accept(server, nullptr, nullptr);
    char buf[4096];
    std::string request;
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      request.append(buf, n);
    }
    std::string answer =
        "HTTP/1.1 200 OK\r\nX-Echo: " +
        std::to_string(request.rfind("POST /p HTTP/1.1", 0) == 0) +
        "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    ::write(c, answer.data(), answer.size());
    ::close(c);
  });
  machine::HttpRequest hr;
  hr.method = "POST";
  hr.url = "http://127.0.0.1:" + std::to_string(port) + "/p";
  hr.body = "{}";
  auto response = client->http(hr);
  http.join();
  ::close(server);
  ASSERT_TRUE(bool(response)) << llvm::toString(response.takeError());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "abc");
  EXPECT_EQ(response->headers[0],
            (std::pair<std::string, std::string>{"x-echo", "1"}));
  auto closedPort = client->isPortOpen("localhost", port);
  ASSERT_TRUE(bool(closedPort));
  EXPECT_FALSE(*closedPort);
}

TEST(AgentClient, ALongExecDoesNotBlockOtherCalls) {
  FakeGuest guest;
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  std::thread slow([&] {
    machine::ExecRequest exec;
    exec.command = "sleep 1.5; echo done";
    auto r = client->execute(exec);
    ASSERT_TRUE(bool(r));
    EXPECT_EQ(r->stdoutText, "done\n");
  });
  std::this_thread::sleep_for(100ms);
  auto start = Clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(bool(client->ping(1000)));
  EXPECT_LT(Clock::now() - start, 1s);
  slow.join();
}

TEST(AgentClient, GuestTimeoutAndHostTimeout) {
  FakeGuest guest;
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  machine::ExecRequest exec;
  exec.command = "sleep 5";
  exec.timeoutMs = 200;
  auto r = client->execute(exec);
  ASSERT_TRUE(bool(r));
  EXPECT_TRUE(r->timedOut);
  EXPECT_EQ(r->status, 137);
  exec.timeoutMs = 0;
  exec.command = "sleep 1";
  auto late = client->execute(exec, 200);
  ASSERT_FALSE(bool(late));
  EXPECT_EQ(llvm::toString(late.takeError()),
            "exec: the guest agent did not answer within 200 ms");
  EXPECT_FALSE(bool(client->ping()));  // still usable
}

TEST(AgentClient, DeadVmFailsPendingAndFutureCallsPromptly) {
  FakeGuest guest;
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  std::thread killer([&] {
    std::this_thread::sleep_for(300ms);
    guest.kill();
  });
  auto start = Clock::now();
  machine::ExecRequest exec;
  exec.command = "sleep 3";
  auto r = client->execute(exec);
  killer.join();
  ASSERT_FALSE(bool(r));
  EXPECT_LT(Clock::now() - start, 1500ms);
  EXPECT_EQ(llvm::toString(r.takeError()),
            "exec: agent connection closed: the VM closed the agent socket "
            "(QEMU exited?)");
  EXPECT_TRUE(client->closed());
  llvm::Error again = client->ping();
  EXPECT_EQ(llvm::toString(std::move(again)),
            "hello: agent connection closed: the VM closed the agent socket "
            "(QEMU exited?)");
}

// The guest's agent dies mid-command and its supervisor starts a new one:
// the heartbeat sees the new instance and the call fails within a second or
// two, not when the command would have ended; the next call works.
TEST(AgentClient, ARestartedAgentFailsTheCallsItLost) {
  FakeGuestOptions options;
  options.restartAfter = 500ms;
  FakeGuest guest(options);
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  client->setNodeName("web");
  auto start = Clock::now();
  machine::ExecRequest exec;
  exec.command = "sleep 4";  // its answer would come after 4 s
  auto r = client->execute(exec);
  ASSERT_FALSE(bool(r));
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_EQ(
      llvm::toString(r.takeError()),
      "exec: the guest agent on web stopped (a restarted agent answers now; "
      "the call was lost)");
  exec.command = "echo again";
  auto next = client->execute(exec);
  ASSERT_TRUE(bool(next)) << llvm::toString(next.takeError());
  EXPECT_EQ(next->stdoutText, "again\n");
}

TEST(AgentClient, OutputPastTheLimit) {
  FakeGuest guest;
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  machine::ExecRequest exec;
  exec.command = "head -c 300000000 /dev/zero | tr '\\0' a";
  exec.maxOutputBytes = 1 << 20;
  auto r = client->execute(exec);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  EXPECT_EQ(r->overflow, "stdout");
  EXPECT_EQ(r->outputLimit, uint64_t(1) << 20);
  EXPECT_GT(r->overflowBytes, uint64_t(1) << 20);
  EXPECT_LT(r->stdoutText.size(), 3u * 4096);
  auto big = client->readFile("/proc/self/exe", 10'000, 4096);
  ASSERT_FALSE(bool(big));
  EXPECT_NE(llvm::toString(big.takeError())
                .find("more than the limit of 4096 bytes (max_output"),
            std::string::npos);
}

TEST(AgentClient, HandshakeWaitsForALateGuest) {
  FakeGuestOptions options;
  options.openDelay = std::chrono::milliseconds(900);
  FakeGuest guest(options);
  auto start = Clock::now();
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
  EXPECT_GE(Clock::now() - start, 800ms);
}

TEST(AgentClient, HandshakeAcceptsAnAnswerSlowerThanTheResendInterval) {
  FakeGuestOptions options;
  options.helloDelay = std::chrono::milliseconds(500);
  FakeGuest guest(options);
  auto client = connectOrFail(guest.path());
  ASSERT_TRUE(client);
}

TEST(AgentClient, RefusesAnotherProtocolVersion) {
  FakeGuestOptions options;
  options.version = 99;
  FakeGuest guest(options);
  auto client = AgentClient::connect(guest.path(), 5000);
  ASSERT_FALSE(bool(client));
  EXPECT_EQ(llvm::toString(client.takeError()),
            "the guest agent (rig-guest 0.1.0) speaks protocol version 99 but "
            "this host speaks "
            "version 1: boot the guest with the rig-guest built with this rig");
}

TEST(AgentClient, NoSocket) {
  auto client = AgentClient::connect("/nonexistent/agent.sock", 200);
  ASSERT_FALSE(bool(client));
  EXPECT_EQ(llvm::toString(client.takeError()),
            "cannot connect to the agent socket /nonexistent/agent.sock within "
            "200 ms: No such "
            "file or directory");
}

}  // namespace
}  // namespace rig::protocol
