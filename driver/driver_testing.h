// The driver's tests run `rig` in-process: a temporary directory to write
// specs into, a fake environment, and standard output and error captured.
// Internal to the driver's tests.
#ifndef RIG_DRIVER_DRIVER_TESTING_H
#define RIG_DRIVER_DRIVER_TESTING_H

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driver/driver.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::driver {

struct Result {
  int code = -1;
  std::string out, err;
};

class RigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("rig-driver-test", dir));
    root_ = std::string(dir);
    env_["RIG_STDLIB"] = RIG_SOURCE_DIR "/stdlib";
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root_); }

  // Writes `text` to ROOT/relative (directories made) and returns the path.
  std::string write(llvm::StringRef relative, llvm::StringRef text) {
    llvm::SmallString<256> path(root_);
    llvm::sys::path::append(path, relative);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << text;
    return std::string(path);
  }

  Result rig(std::vector<std::string> args, bool terminal = false) {
    Result r;
    llvm::raw_string_ostream out(r.out), err(r.err);
    Host host;
    host.out = &out;
    host.err = &err;
    host.outIsTerminal = host.errIsTerminal = terminal;
    host.env = [this](const char* name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
    host.executable = executable_;
    r.code = runRig(args, host);
    out.flush();
    err.flush();
    return r;
  }

  std::string root_;
  std::map<std::string, std::string> env_;
  // Where rig-guest and stdlib/ would be found; none by default.
  std::string executable_ = "/nonexistent/bin/rig";
};

}  // namespace rig::driver

#endif
