// runAgent's serving loop over a raw pty (standing in for /dev/vportNpM).
#include "runtime/guest/agent.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace rig::guest {
namespace {

using protocol::DecodeStatus;
using protocol::Message;
using protocol::MessageType;

class AgentOverPty : public ::testing::Test {
 protected:
  void SetUp() override {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    ASSERT_GE(master_, 0);
    ASSERT_EQ(::grantpt(master_), 0);
    ASSERT_EQ(::unlockpt(master_), 0);
    std::string slave = ::ptsname(master_);
    slave_ = ::open(slave.c_str(), O_RDWR | O_NOCTTY);
    ASSERT_GE(slave_, 0);
    termios t;
    ::tcgetattr(slave_, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave_, TCSANOW, &t);
    // The agent never returns; it dies with the test process.
    std::thread([slave] {
      std::string error;
      runAgent(slave, error);
    }).detach();
  }

  Message roundTrip(const std::string& bytes, uint32_t expectId) {
    EXPECT_TRUE(protocol::writeAll(master_, bytes));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      Message m;
      std::string error;
      DecodeStatus s;
      while ((s = reader_.next(m, error)) == DecodeStatus::Ok)
        if (m.id == expectId) return m;
      EXPECT_NE(s, DecodeStatus::Invalid) << error;
      pollfd p = {master_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      ssize_t n = ::read(master_, buf, sizeof buf);
      if (n > 0) reader_.append(buf, static_cast<size_t>(n));
    }
    ADD_FAILURE() << "no answer to request " << expectId;
    return Message();
  }

  void TearDown() override {
    ::close(master_);
    ::close(slave_);
  }

  int master_ = -1, slave_ = -1;
  protocol::FrameReader reader_;
};

TEST_F(AgentOverPty, AnswersAndResynchronizesAfterGarbage) {
  Message hello(MessageType::Hello, 1);
  Message reply = roundTrip(protocol::encodeFrame(hello), 1);
  EXPECT_EQ(reply.type, MessageType::Response);
  EXPECT_EQ(reply.getInt("version"), protocol::kProtocolVersion);

  // A frame header promising more than the limit: dropped, then the agent
  // serves the next request sent after a pause.
  protocol::writeAll(master_, std::string("\xff\xff\xff\xff garbage", 12));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  Message exec(MessageType::Exec, 2);
  exec.add("command", "echo $((6*7))");
  reply = roundTrip(protocol::encodeFrame(exec), 2);
  EXPECT_EQ(reply.getOr("stdout"), "42\n");
}

TEST_F(AgentOverPty, ServesRequestsConcurrently) {
  Message slow(MessageType::Exec, 10);
  slow.add("command", "sleep 2");
  protocol::writeAll(master_, protocol::encodeFrame(slow));
  auto start = std::chrono::steady_clock::now();
  Message reply =
      roundTrip(protocol::encodeFrame(Message(MessageType::Hello, 11)), 11);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  reply = roundTrip("", 10);
  EXPECT_EQ(reply.getInt("status", -1), 0);
}

}  // namespace
}  // namespace rig::guest
