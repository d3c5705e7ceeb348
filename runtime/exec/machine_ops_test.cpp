// Machine operations against a fake machine.
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "runtime/exec/testing/compile_suite.h"
#include "runtime/exec/testing/suite_runner.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::FakeMachine;
using testing::SuiteRun;

const char* kNodes = "node server {}\nnode client {}\n";

TEST(Machine, LazyStartOnFirstUse) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  let out = server.succeed("echo hi")
})");
  run["server"].on("echo hi", {FakeMachine::ok("hi\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].starts, 1);
  EXPECT_EQ(run["client"].starts, 0);
  EXPECT_TRUE(run.machines->stopped);
}

TEST(Machine, StartAllBootsEveryMachine) {
  SuiteRun run(std::string(kNodes) + R"(test "t" { start_all() start_all() })");
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].starts, 1);
  EXPECT_EQ(run["client"].starts, 1);
}

TEST(Machine, SucceedReturnsStdoutOfEveryCommand) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  expect server.succeed("echo a", "echo b") == "a\nb\n"
  expect server.fail("false") == ""
  let r = server.execute("exit 3")
  expect r == { status: 3, stdout: "", stderr: "oops" }
})");
  run["server"].on("echo a", {FakeMachine::ok("a\n")});
  run["server"].on("echo b", {FakeMachine::ok("b\n")});
  run["server"].on("false", {FakeMachine::status(1)});
  run["server"].on("exit 3", {FakeMachine::status(3, "", "oops")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
}

TEST(Machine, SucceedFailsOnNonZeroExit) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.succeed("systemctl is-active nginx")
})");
  run["server"].on("is-active", {FakeMachine::status(3, "inactive\n", "")});
  run["server"].console = "boot line\n";
  run.options.consoleLines = 2;
  run.run();
  EXPECT_EQ(
      run.failure(),
      R"(t.rig:4:3: command failed with exit status 3: `systemctl is-active nginx`
   4 |   server.succeed("systemctl is-active nginx")
     |   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
stdout:
inactive
console of server (last 2 lines):
  | [    0.000000] Linux version fake
  | rig-guest: agent ready
)");
}

// The client's request failed because of the server: the failure shows the
// client's console and a shorter tail of the server's, the other machine the
// test used; a machine the test did not use is not shown.
TEST(Machine, FailureShowsTheOtherUsedMachinesShorter) {
  SuiteRun run("node server {}\nnode client {}\nnode idle {}\n" +
               std::string(R"(test "t" {
  server.succeed("true")
  client.succeed("curl --fail http://server")
})"));
  run["idle"].console = "idle 1\nidle 2\n";
  run["server"].console = "server 1\nserver 2\n";
  run["client"].on("curl", {FakeMachine::status(22)});
  run["client"].console = "client 1\nclient 2\n";
  run.options.consoleLines = 3;
  run.options.otherConsoleLines = 1;
  run.run();
  ASSERT_EQ(run.status(), Status::Failed);
  const auto& consoles = run.result.tests[0].failure->consoles;
  ASSERT_EQ(consoles.size(), 2u) << run.failure();
  EXPECT_EQ(consoles[0].machine, "client");
  // (A fake machine's boot adds two lines to its console.)
  EXPECT_EQ(consoles[0].text,
            "client 2\n[    0.000000] Linux version fake\n"
            "rig-guest: agent ready\n");
  EXPECT_EQ(consoles[1].machine, "server");
  EXPECT_EQ(consoles[1].text, "rig-guest: agent ready\n");
}

TEST(Machine, FailFailsOnSuccess) {
  SuiteRun run(std::string(kNodes) + R"(test "t" { server.fail("true") })");
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "command succeeded but was expected to fail: `true`");
}

TEST(Machine, CommandTimeout) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.succeed("sleep 100", timeout = 5s) })");
  run["server"].on("sleep", {FakeMachine::timedOut("partial\n")});
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "command timed out after 5s: `sleep 100`");
  EXPECT_EQ(run.result.tests[0].failure->details, "stdout:\npartial");
}

TEST(Machine, FailCountsATimeoutAsTheFailure) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  expect server.fail("sleep 100", timeout = 2s) == "partial\n"
})");
  run["server"].on("sleep", {FakeMachine::timedOut("partial\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
}

TEST(Machine, TestCommandsRunWithBashRigsOwnWithSh) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.succeed("cmd-a")
  server.fail("cmd-fails")
  server.execute("cmd-c")
  server.wait_until_succeeds("cmd-d")
  server.wait_for_unit("e.service")
})");
  run["server"].on("cmd-fails", {FakeMachine::status(1)});
  run["server"].on("-p ActiveState",
                   {FakeMachine::ok("ActiveState=active\nSubState=running\n"
                                    "LoadState=loaded\nResult=success\n")});
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  const auto& m = run["server"];
  ASSERT_GE(m.commands.size(), 5u);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(m.shells[i], machine::Shell::Bash) << m.commands[i];
  for (size_t i = 4; i < m.commands.size(); ++i)
    EXPECT_EQ(m.shells[i], machine::Shell::Sh) << m.commands[i];
}

TEST(Machine, ExecuteNeverFails) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  let r = server.execute("sleep 100", timeout = 1s)
  expect r.status == 124
})");
  run["server"].on("sleep", {FakeMachine::timedOut()});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
}

TEST(Machine, WaitUntilSucceedsPolls) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  expect server.wait_until_succeeds("curl x") == "up"
  server.wait_until_fails("pgrep old")
})");
  run["server"].on("curl x", {FakeMachine::status(7), FakeMachine::status(7),
                              FakeMachine::ok("up")});
  run["server"].on("pgrep old", {FakeMachine::ok("1"), FakeMachine::status(1)});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run.clock.slept(), 3000);
}

TEST(Machine, WaitUntilSucceedsTimesOutWithTheLastOutput) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.wait_until_succeeds("curl x", timeout = 3s)
})");
  run["server"].on("curl x",
                   {FakeMachine::status(7, "", "connection refused")});
  run.run();
  const events::Failure& f = *run.result.tests[0].failure;
  EXPECT_EQ(f.message, "timed out after 3s waiting for `curl x` to succeed");
  EXPECT_EQ(f.details,
            "last state: exit status 7\nstderr:\nconnection refused");
  EXPECT_EQ(run.clock.slept(), 3000);
}

TEST(Machine, WaitForUnitActive) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("nginx.service") })");
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=activating\nSubState=start\nLoadState="
                       "loaded\nResult=success\n"),
       FakeMachine::ok("ActiveState=active\nSubState=running\nLoadState="
                       "loaded\nResult=success\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].commands[0],
            "systemctl --no-pager show -p "
            "ActiveState,SubState,LoadState,Result -- 'nginx.service'");
}

TEST(Machine, WaitForUnitFailsAtOnceWhenFailed) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("api.service") })");
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=failed\nSubState=failed\nLoadState="
                       "loaded\nResult=exit-code\n")});
  run["server"].on(
      "journalctl",
      {FakeMachine::ok("api[42]: boom\nsystemd[1]: api.service: Failed\n")});
  run.run();
  EXPECT_EQ(run.clock.slept(), 0);
  const events::Failure& f = *run.result.tests[0].failure;
  EXPECT_EQ(f.message,
            "unit `api.service` failed on `server` (Result=exit-code)");
  EXPECT_EQ(
      f.details,
      "ActiveState=failed SubState=failed LoadState=loaded Result=exit-code\n"
      "journalctl -u api.service -n 20:\n"
      "api[42]: boom\nsystemd[1]: api.service: Failed");
  EXPECT_EQ(run["server"].commands[1],
            "journalctl -u 'api.service' -n 20 --no-pager");
}

TEST(Machine, WaitForUnitInactiveWithoutJobsFailsAtOnce) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("idle.service") })");
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=inactive\nSubState=dead\nLoadState="
                       "loaded\nResult=success\n")});
  run["server"].on("list-jobs", {FakeMachine::ok("No jobs running.\n")});
  run["server"].on(
      "journalctl",
      {FakeMachine::ok("systemd[1]: Dependency failed for idle.service\n")});
  run.run();
  EXPECT_EQ(
      run.result.tests[0].failure->message,
      "unit `idle.service` is inactive on `server` and no job is pending");
  EXPECT_EQ(
      run.result.tests[0].failure->details,
      "ActiveState=inactive SubState=dead LoadState=loaded Result=success\n"
      "journalctl -u idle.service -n 20:\n"
      "systemd[1]: Dependency failed for idle.service");
}

TEST(Machine, WaitForUnitTimeoutShowsTheState) {
  SuiteRun run(
      std::string(kNodes) +
      R"(test "t" { server.wait_for_unit("slow.service", timeout = 2s) })");
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=activating\nSubState=start-pre\nLoadState="
                       "loaded\nResult=success\n")});
  run.run();
  const events::Failure& f = *run.result.tests[0].failure;
  EXPECT_EQ(f.message,
            "timed out after 2s waiting for unit `slow.service` to become "
            "active on `server`");
  EXPECT_EQ(f.details,
            "last state: ActiveState=activating SubState=start-pre "
            "LoadState=loaded Result=success");
}

TEST(Machine, WaitForUnitWaitsForItsJobInTheGuest) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("api") })");
  // Queued behind its dependencies, then active once the job is done.
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=inactive\nSubState=dead\nLoadState="
                       "loaded\nResult=success\n"),
       FakeMachine::ok("ActiveState=active\nSubState=running\nLoadState="
                       "loaded\nResult=success\n")});
  run["server"].on(
      "list-jobs",
      {FakeMachine::ok("JOB UNIT TYPE STATE\n12 api.service start waiting\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  ASSERT_EQ(run["server"].commands.size(), 3u);
  // The second look waits in the guest for the job (it never starts the
  // unit), with no pause on the host before it.
  EXPECT_EQ(
      run["server"].commands[2],
      "systemctl start -- 'rig-wait@api.service.service' >/dev/null 2>&1; "
      "systemctl --no-pager show -p ActiveState,SubState,LoadState,Result -- "
      "'api'");
  EXPECT_EQ(run.clock.slept(), 0);
}

TEST(Machine, WaitForUnitWaitsForATemplateInstance) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("getty@tty1.service") })");
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=activating\nSubState=start\nLoadState="
                       "loaded\nResult=success\n"),
       FakeMachine::ok("ActiveState=active\nSubState=running\nLoadState="
                       "loaded\nResult=success\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  ASSERT_EQ(run["server"].commands.size(), 2u);
  EXPECT_EQ(run["server"].commands[1].rfind(
                "systemctl start -- 'rig-wait@getty@tty1.service.service'", 0),
            0u)
      << run["server"].commands[1];
}

TEST(Machine, WaitForUnitWithoutAJobPollsAsBefore) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("later.service") })");
  // Inactive while another unit's job runs: it may be pulled in later.
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=inactive\nSubState=dead\nLoadState="
                       "loaded\nResult=success\n"),
       FakeMachine::ok("ActiveState=active\nSubState=running\nLoadState="
                       "loaded\nResult=success\n")});
  run["server"].on(
      "list-jobs",
      {FakeMachine::ok(
          "JOB UNIT TYPE STATE\n7 other.service start running\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].commands.back().rfind("systemctl --no-pager show", 0),
            0u);
  EXPECT_EQ(run.clock.slept(), 1000);
}

TEST(Machine, WaitForUnitMaskedFailsAtOnce) {
  SuiteRun run(std::string(kNodes) +
               R"(test "t" { server.wait_for_unit("systemd-udevd.service") })");
  run["server"].on(
      "-p ActiveState",
      {FakeMachine::ok("ActiveState=inactive\nSubState=dead\nLoadState="
                       "masked\nResult=success\n")});
  run.run();
  EXPECT_EQ(run.clock.slept(), 0);
  const events::Failure& f = *run.result.tests[0].failure;
  EXPECT_EQ(f.message, "unit `systemd-udevd.service` is masked on `server`");
  EXPECT_NE(f.details.find("/etc/rig/masked"), std::string::npos) << f.details;
}

TEST(Machine, DefaultWaitTimeoutComesFromThePlan) {
  lower::Options options;  // rig.toml's [run] wait_timeout
  options.waitTimeoutMs = 4'000;
  SuiteRun run(
      std::string(kNodes) + R"(test "t" { server.wait_for_open_port(80) })",
      options);
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "timed out after 4s waiting for TCP port 80 on localhost to open "
            "on `server`");
  EXPECT_EQ(run.result.tests[0].failure->details, "last state: closed");
}

TEST(Machine, UnitInfoAndState) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  let info = server.get_unit_info("db.service")
  expect info.ActiveState == "active" and info.MainPID == "42"
  server.require_unit_state("db.service")
  server.require_unit_state("db.service", "inactive")
})");
  run["server"].on(
      "show -- 'db.service'",
      {FakeMachine::ok("Id=db.service\nActiveState=active\nSubState="
                       "running\nMainPID=42\nResult=success\n")});
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "unit `db.service` on `server` is active, expected inactive");
}

TEST(Machine, SystemctlAndJobs) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  expect server.systemctl("is-enabled x").status == 1
  expect server.start_job("x.service").status == 0
  server.stop_job("x.service")
})");
  run["server"].on("is-enabled", {FakeMachine::status(1)});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].commands,
            (std::vector<std::string>{"systemctl is-enabled x",
                                      "systemctl start -- 'x.service'",
                                      "systemctl stop -- 'x.service'"}));
}

TEST(Machine, PortsSocketsFiles) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.wait_for_open_port(3000)
  server.wait_for_closed_port(4000, "server")
  server.wait_for_open_unix_socket("/run/app.sock")
  server.wait_for_file("/etc/ready")
})");
  int calls = 0;
  run["server"].portOpen = [&](llvm::StringRef addr, int port) {
    return port == 3000 && ++calls > 1;
  };
  run["server"].files["/run/app.sock"] = "";
  run["server"].on("test -e", {FakeMachine::status(1), FakeMachine::ok()});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].commands.back(), "test -e '/etc/ready'");
  // A port is checked again after fastPollIntervalMs (100 ms), a command
  // after pollIntervalMs.
  EXPECT_EQ(run.clock.slept(), 1100);
}

TEST(Machine, ConsoleText) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  expect server.wait_for_console_text("Linux version") == "[    0.000000] Linux version fake"
  server.wait_for_console_text("Linux version", timeout = 2s)
})");
  run.run();
  const events::Failure& f = *run.result.tests[0].failure;
  EXPECT_EQ(f.message,
            "timed out after 2s waiting for console text matching \"Linux "
            "version\" on `server`");
}

TEST(Machine, Http) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  let r = client.http("POST", "http://server:3000/todos", body = { task: "x" }, headers = { "X-A": "1" })
  expect r.status == 201
  expect r.headers["content-type"] == "application/json"
  expect r.json == { id: 3 }
  let s = client.http("GET", "http://server:3000/", body = "raw")
  expect s.json == null and s.body == "not json"
})");
  std::vector<machine::HttpRequest> seen;
  run["client"].onHttp = [&](const machine::HttpRequest& request)
      -> llvm::Expected<machine::HttpResponse> {
    seen.push_back(request);
    if (request.method == "POST")
      return machine::HttpResponse{
          201, {{"Content-Type", "application/json"}}, "{\"id\": 3}"};
    return machine::HttpResponse{200, {}, "not json"};
  };
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].body, "{\"task\":\"x\"}");
  EXPECT_EQ(seen[0].headers,
            (std::vector<std::pair<std::string, std::string>>{
                {"X-A", "1"}, {"content-type", "application/json"}}));
  EXPECT_EQ(seen[1].body, "raw");
  EXPECT_TRUE(seen[1].headers.empty());
}

TEST(Machine, PowerControlBlockMonitor) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.start()
  server.block()
  server.unblock()
  expect server.send_monitor_command("info status") == "monitor: info status"
  server.crash()
  server.succeed("true")
  server.shutdown()
  server.wait_for_shutdown()
  server.reboot()
})");
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].log,
            (std::vector<std::string>{
                "start", "block", "unblock", "monitor info status", "crash",
                "start", "exec true", "shutdown", "wait_for_shutdown", "start",
                "shutdown", "start"}));
}

TEST(Machine, CopyFiles) {
  std::string dir = ::testing::TempDir() + "/rig-exec-copy";
  std::string host = dir + "/in.txt";
  std::filesystem::create_directories(dir);
  { std::ofstream(host) << "payload"; }
  SuiteRun run(
      std::string(kNodes) + "test \"t\" {\n  server.copy_from_host(\"" + host +
      "\", \"/tmp/x/in.txt\")\n  server.copy_to_host(\"/tmp/x/in.txt\", \"" +
      dir + "/out/back.txt\")\n}");
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].files["/tmp/x/in.txt"], "payload");
  std::ifstream back(dir + "/out/back.txt");
  std::string text((std::istreambuf_iterator<char>(back)), {});
  EXPECT_EQ(text, "payload");
}

// `a.copy_to(b, src, dst)`: a file goes through the host as is (mode
// kept, binary-safe); a directory as a tar archive made in the source and
// unpacked, then removed, in the target.
TEST(Machine, CopyBetweenNodes) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.copy_to(client, "/srv/blob", "/tmp/in/blob")
  server.copy_to(target = client, src = "/srv/tree", dst = "/srv/copy")
})");
  std::string binary("\0\xff\x01zz\n", 6);
  run["server"].files["/srv/blob"] = binary;
  run["server"].files["/tmp/rig-copy.ab12"] = "TAR";
  run["server"].on("[ -d '/srv/blob' ]", {FakeMachine::ok("file 4755\n")});
  run["server"].on("[ -d '/srv/tree' ]",
                   {FakeMachine::ok("dir /tmp/rig-copy.ab12\n")});
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["client"].files["/tmp/in/blob"], binary);
  std::vector<std::string> writes;
  for (const std::string& line : run["client"].log)
    if (llvm::StringRef(line).startswith("write ")) writes.push_back(line);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0], "write /tmp/in/blob");
  std::string archive = writes[1].substr(6);
  EXPECT_EQ(run["client"].files[archive], "TAR");
  EXPECT_EQ(run["client"].commands.back(),
            "mkdir -p -- '/srv/copy' && tar -C '/srv/copy' -xpf '" + archive +
                "'; s=$?; rm -f -- '" + archive + "'; exit $s");
  EXPECT_EQ(run["server"].commands.back(), "rm -f -- '/tmp/rig-copy.ab12'");
}

TEST(Machine, CopyBetweenNodesFailures) {
  SuiteRun run(std::string(kNodes) + R"(test "t" {
  server.copy_to(client, "/nope", "/tmp/x")
})");
  run["server"].on("[ -d '/nope' ]", {FakeMachine::ok("missing\n")});
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "server.copy_to: cannot copy /nope from `server`: no such file or "
            "directory");
}

TEST(Machine, ShellIsInteractiveOnly) {
  SuiteRun run(std::string(kNodes) + R"(test "t" { server.shell() })");
  run.run();
  EXPECT_EQ(run.result.tests[0].failure->message,
            "`server.shell()` is interactive: use it in `rig repl`");
}

TEST(Machine, BootFailureIsAnInfrastructureError) {
  SuiteRun run(std::string(kNodes) + R"(test "a" { server.succeed("true") }
test "b" { client.succeed("true") })");
  run["server"].bootError = "agent did not answer within 900s";
  run.options.keepGoing = true;
  run.run();
  EXPECT_EQ(run.status(0), Status::Error);
  EXPECT_EQ(run.status(1), Status::Skipped);
  EXPECT_EQ(run.result.status, Status::Error);
  EXPECT_EQ(run.result.tests[0].failure->message,
            "machine `server` did not boot");
  EXPECT_EQ(run.result.tests[0].failure->details,
            "agent did not answer within 900s");
}

TEST(Machine, DeadMachineFailsTheSuiteWithConsoleTail) {
  SuiteRun run(std::string(kNodes) +
               R"(test "a" { server.succeed("echo c > /proc/sysrq-trigger") }
test "b" { client.succeed("true") })");
  run["server"].dieOnCommand = "sysrq";
  run.options.keepGoing = true;
  run.options.consoleLines = 1;
  run.run();
  EXPECT_EQ(run.status(0), Status::Failed);
  EXPECT_EQ(run.status(1), Status::Skipped);
  EXPECT_EQ(
      run.failure(0),
      R"(t.rig:3:12: machine `server` died unexpectedly (running a command)
   3 | test "a" { server.succeed("echo c > /proc/sysrq-trigger") }
     |            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
agent connection lost
console of server (last 1 lines):
  | Kernel panic - not syncing: Attempted to kill init!
)");
}

// A suite through the real front end (node attributes such as test_env).
SuiteRun compiled(const std::string& source) {
  llvm::Expected<plan::Plan> plan = testing::compileSuite(source);
  if (!plan) {
    ADD_FAILURE() << llvm::toString(plan.takeError());
    return SuiteRun(std::string(kNodes));
  }
  return SuiteRun(std::move(*plan));
}

TEST(Machine, EnvAndShellPerCallOverTheNodes) {
  SuiteRun run = compiled(R"(node server { test_env = { A: "node", B: "node" } }
node old { test_shell = "sh" }
test "t" {
  server.succeed("one", env = { B: "call", PORT: 8080 })
  server.fail("two", shell = "sh", env = { ON: true })
  server.execute("three", env = json("{\"D\": \"runtime\"}"))
  server.wait_until_succeeds("four", shell = "sh")
  server.wait_until_fails("five", env = { F: 1s })
  old.succeed("six", shell = "bash")
  old.succeed("seven")
  server.succeed("eight")
})");
  run["server"].on("two", {FakeMachine::status(1)});
  run["server"].on("five", {FakeMachine::status(1)});
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  using Env = std::map<std::string, std::string>;
  const FakeMachine& s = run["server"];
  ASSERT_EQ(s.commands.size(), 6u);
  EXPECT_EQ(s.envs[0], (Env{{"A", "node"}, {"B", "call"}, {"PORT", "8080"}}));
  EXPECT_EQ(s.shells[0], machine::Shell::Bash);
  EXPECT_EQ(s.envs[1], (Env{{"A", "node"}, {"B", "node"}, {"ON", "true"}}));
  EXPECT_EQ(s.shells[1], machine::Shell::Sh);
  EXPECT_EQ(s.envs[2], (Env{{"A", "node"}, {"B", "node"}, {"D", "runtime"}}));
  EXPECT_EQ(s.shells[3], machine::Shell::Sh);
  EXPECT_EQ(s.envs[4], (Env{{"A", "node"}, {"B", "node"}, {"F", "1s"}}));
  // The next call is back to the node's own.
  EXPECT_EQ(s.envs[5], (Env{{"A", "node"}, {"B", "node"}}));
  EXPECT_EQ(s.shells[5], machine::Shell::Bash);
  const FakeMachine& o = run["old"];
  ASSERT_EQ(o.commands.size(), 2u);
  EXPECT_EQ(o.shells[0], machine::Shell::Bash);
  EXPECT_EQ(o.shells[1], machine::Shell::Sh);
}

TEST(Machine, ShellAndEnvKnownOnlyAtRunTimeAreChecked) {
  SuiteRun run = compiled(R"(node server {}
test "shell" { server.succeed("x", shell = json("\"zsh\"")) }
test "env" { server.succeed("x", env = json("{\"A\": [1]}")) }
test "name" { server.succeed("x", env = json("{\"A=B\": 1}")) }
)");
  run.options.keepGoing = true;
  run.run();
  EXPECT_EQ(run.status(0), Status::Failed);
  EXPECT_NE(run.failure(0).find("`shell` is \"zsh\"; rig runs commands with "
                                "`bash` or `sh`"),
            std::string::npos)
      << run.failure(0);
  EXPECT_NE(run.failure(1).find("`env.A` must be a string, number or bool, "
                                "got list"),
            std::string::npos)
      << run.failure(1);
  EXPECT_NE(run.failure(2).find("`A=B` is not a valid environment variable"),
            std::string::npos)
      << run.failure(2);
  EXPECT_TRUE(run["server"].commands.empty());
}

TEST(Machine, HttpQueryIsEncodedOntoTheUrl) {
  SuiteRun run = compiled(R"(node client {}
test "t" {
  client.http("GET", "http://server/search", query = { q: "a&b c", page: 2 })
  client.http("GET", "http://server/?x=1", query = json("{\"k\": \"é/\"}"))
  client.http("GET", "http://server/plain")
  expect url_encode(trim(" a b ")) == "a%20b"
})");
  std::vector<std::string> urls;
  run["client"].onHttp = [&](const machine::HttpRequest& request)
      -> llvm::Expected<machine::HttpResponse> {
    urls.push_back(request.url);
    return machine::HttpResponse{200, {}, ""};
  };
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(urls,
            (std::vector<std::string>{"http://server/search?q=a%26b%20c&page=2",
                                      "http://server/?x=1&k=%C3%A9%2F",
                                      "http://server/plain"}));
}

TEST(Machine, NowIsADurationOnTheRunsClock) {
  SuiteRun run = compiled(R"(node server {}
test "t" {
  let t0 = now()
  sleep(5s)
  expect now() - t0 == 5s
  expect now() >= 5s
  let deadline = t0 + 30s
  expect now() < deadline
})");
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
}

TEST(Machine, PowerTimeoutsReachTheMachine) {
  SuiteRun run = compiled(R"(node server {}
test "t" {
  server.start()
  server.reboot(timeout = 42s)
  expect server.succeed("up") == ""
  server.shutdown(timeout = 7)
})");
  run.run();
  ASSERT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run["server"].shutdownTimeoutsMs,
            (std::vector<double>{42000, 7000}));
  EXPECT_EQ(run["server"].starts, 2);
}

TEST(Machine, AShutdownPastItsTimeoutFailsTheTestNotTheSuite) {
  SuiteRun run = compiled(R"(node server {}
test "reboot" {
  server.start()
  server.reboot(timeout = 3s)
}
test "next" { expect server.succeed("up") == "" }
)");
  run.options.keepGoing = true;
  run["server"].hangOnShutdown = true;
  run.run();
  EXPECT_EQ(run.status(0), Status::Failed);
  EXPECT_NE(run.failure(0).find("`server` did not power off within 3s "
                                "(reboot); it was killed"),
            std::string::npos)
      << run.failure(0);
  EXPECT_EQ(run["server"].shutdownTimeoutsMs, (std::vector<double>{3000}));
  // The node was killed, not lost: the next test starts it again.
  EXPECT_EQ(run.status(1), Status::Passed) << run.failure(1);
}

}  // namespace
}  // namespace rig::exec
