#include "driver/config.h"

#include <gtest/gtest.h>

namespace rig::driver {
namespace {

std::string errorOf(llvm::StringRef text) {
  llvm::Expected<Config> c = parseConfig(text, "dir/rig.toml");
  if (c) return "";
  return llvm::toString(c.takeError());
}

TEST(Config, LintSeverities) {
  llvm::Expected<Config> c = parseConfig(
      "[lint]\nunused-let = \"off\"\nL0005 = \"error\"\n"
      "curl-without-fail = \"warning\"\n",
      "rig.toml");
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  ASSERT_EQ(c->lint.size(), 3u);
  diag::Emitter emitter;
  c->applyTo(emitter);
  EXPECT_EQ(emitter.severityOf(diag::Kind::UnusedLet), diag::Severity::Ignored);
  EXPECT_EQ(emitter.severityOf(diag::Kind::SleepInTest), diag::Severity::Error);
  EXPECT_EQ(emitter.severityOf(diag::Kind::CurlWithoutFail),
            diag::Severity::Warning);
}

TEST(Config, RunSettings) {
  llvm::Expected<Config> c = parseConfig(
      "[run]\nwait_timeout = \"30s\"\neventually_timeout = 90\n"
      "suite_timeout = \"1.5m\"\naccel = \"tcg\"\nkernel = \"k/vmlinuz\"\n"
      "jobs = 3\n",
      "/p/rig.toml");
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(*c->run.waitTimeoutMs, 30'000);
  EXPECT_EQ(*c->run.eventuallyTimeoutMs, 90'000);
  EXPECT_EQ(*c->run.suiteTimeoutMs, 90'000);
  EXPECT_EQ(c->run.accel, "tcg");
  EXPECT_EQ(c->run.kernel, "/p/k/vmlinuz");  // relative to rig.toml
  EXPECT_EQ(*c->run.jobs, 3u);
}

TEST(Config, MaxOutput) {
  for (auto [text, bytes] : {std::pair{"\"64MiB\"", uint64_t(64) << 20},
                             std::pair{"\"8 MiB\"", uint64_t(8) << 20},
                             std::pair{"65536", uint64_t(65536)}}) {
    llvm::Expected<Config> c = parseConfig(
        std::string("[run]\nmax_output = ") + text + "\n", "/p/rig.toml");
    ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
    EXPECT_EQ(*c->run.maxOutputBytes, bytes) << text;
  }
  EXPECT_EQ(errorOf("[run]\nmax_output = \"1GiB\"\n"),
            "dir/rig.toml:2:14: error: `max_output` must be a size from 4KiB "
            "to 120MiB such as \"64MiB\" (or a number of bytes)");
  EXPECT_EQ(errorOf("[run]\nmax_output = \"lots\"\n"),
            "dir/rig.toml:2:14: error: `max_output` must be a size from 4KiB "
            "to 120MiB such as \"64MiB\" (or a number of bytes)");
}

TEST(Config, ErrorsNameThePlace) {
  EXPECT_EQ(errorOf("[lint]\nunused-lett = \"off\"\n"),
            "dir/rig.toml:2:1: error: [lint] unknown rule `unused-lett`; did "
            "you mean `unused-let`?");
  EXPECT_EQ(errorOf("[lint]\nunused-let = \"loud\"\n"),
            "dir/rig.toml:2:14: error: [lint] `unused-let` must be \"off\", "
            "\"warning\" or \"error\", not \"loud\"");
  EXPECT_EQ(errorOf("[run]\nwait_timeout = \"soon\"\n"),
            "dir/rig.toml:2:16: error: `wait_timeout` must be a duration such "
            "as \"30s\", \"500ms\" or \"2m\" (or a number of seconds)");
  EXPECT_EQ(errorOf("[run]\naccel = \"hvf\"\n"),
            "dir/rig.toml:2:9: error: [run] `accel` must be \"kvm\" or "
            "\"tcg\", not \"hvf\"");
  EXPECT_EQ(errorOf("[run]\njobs = 0\n"),
            "dir/rig.toml:2:8: error: [run] `jobs` must be a whole number from "
            "1 to 1024");
  EXPECT_EQ(errorOf("[run]\njbos = 2\n"),
            "dir/rig.toml:2:1: error: [run] unknown key `jbos`; did you mean "
            "`jobs`?");
  EXPECT_EQ(errorOf("[lnit]\n"),
            "dir/rig.toml:1:2: error: unknown section `lnit`; did you mean "
            "[lint]?");
  // A TOML syntax error, with toml++'s own words.
  std::string syntax = errorOf("[lint\n");
  EXPECT_EQ(syntax.rfind("dir/rig.toml:1:", 0), 0u) << syntax;
  // Several errors are all reported.
  std::string two = errorOf("[run]\njobs = 0\naccel = 1\n");
  EXPECT_NE(two.find("rig.toml:2:"), std::string::npos);
  EXPECT_NE(two.find("rig.toml:3:"), std::string::npos);
}

TEST(Config, Durations) {
  EXPECT_EQ(*parseDurationMs("500ms"), 500);
  EXPECT_EQ(*parseDurationMs("2h"), 7'200'000);
  EXPECT_FALSE(parseDurationMs("5"));
  EXPECT_FALSE(parseDurationMs("s"));
  EXPECT_FALSE(parseDurationMs("5d"));
}

}  // namespace
}  // namespace rig::driver
