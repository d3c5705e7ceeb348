// `rig attach`: reach the machines that `rig run --keep-vms-on-failure`
// kept (or those of a run still going): a root shell on a node, its serial
// console followed live, --stop, --list (docs/cli.md, docs/debugging.md).
// Exit codes: 0 done, 2 a wrong RUN_DIR or NODE, 3 the machine is gone or
// cannot be reached.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "driver/kept_runs.h"
#include "driver/session.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "runtime/host/run_dir.h"
#include "runtime/host/run_record.h"
#include "runtime/protocol/shell_client.h"
#include "runtime/vm/kept_machines.h"

namespace rig::driver {
namespace {

constexpr size_t kConsoleTailLines = 30;

bool rigAlive(pid_t pid) {
  return pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH);
}

// Whether `node`'s machine may still run: a kept one while its process
// does, one of a run still going while its rig does.
bool nodeMayRun(const std::string& runDir, const host::RunRecord& record,
                const host::RecordedProcess& node) {
  if (record.kept()) return host::processOfRunAlive(node.pid, runDir);
  // lstat: a container's agent.sock is a link, made before it boots, to the
  // socket its agent makes once up (attachShell waits for that).
  struct stat st;
  std::string socket = runDir + "/" + node.name + "/agent.sock";
  return rigAlive(record.rigPid) && ::lstat(socket.c_str(), &st) == 0;
}

std::string goneMessage(const std::string& runDir,
                        const host::RecordedProcess& node) {
  std::string log = runDir + "/" + node.name + "/console.log";
  return fmt::format(
      "the VM of node `{}` is gone{}", node.name,
      llvm::sys::fs::exists(log) ? " (its console log: " + log + ")" : "");
}

int listRuns(Session& session) {
  std::string base = host::defaultRunDirBase();
  std::vector<std::string> dirs;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(base, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::sys::fs::exists(it->path() + "/" + host::kRunRecordFile))
      dirs.push_back(it->path());
  std::sort(dirs.begin(), dirs.end());
  llvm::raw_ostream& out = session.out();
  if (dirs.empty()) {
    out << fmt::format("no run directories in {}\n", base);
    return kExitOk;
  }
  for (const std::string& dir : dirs) {
    auto record = host::readRunRecord(dir);
    if (!record) {
      llvm::consumeError(record.takeError());
      continue;
    }
    std::string state;
    if (record->kept()) {
      std::string up;
      for (const host::RecordedProcess& n : record->nodes)
        if (host::processOfRunAlive(n.pid, dir))
          up += (up.empty() ? "" : ", ") + n.name;
      state = up.empty()
                  ? "kept " + record->keptAt + ", all gone (--stop removes it)"
                  : "kept " + record->keptAt + ", running: " + up;
    } else if (rigAlive(record->rigPid)) {
      state = fmt::format("in use by rig (pid {})", record->rigPid);
    } else {
      state = "left over (its rig is gone; the next run removes it)";
    }
    out << fmt::format("{}\n  suite {} ({}); nodes: {}\n  {}\n", dir,
                       record->suite, record->path.empty() ? "?" : record->path,
                       record->nodeNames(), state);
  }
  return kExitOk;
}

int stopRun(Session& session, const std::string& runDir,
            const host::RunRecord& record) {
  if (!record.kept() && rigAlive(record.rigPid)) {
    session.error(
        fmt::format("{} belongs to a rig that still runs (pid {}); its "
                    "machines are not kept: "
                    "end that rig (Ctrl-C) instead",
                    runDir, record.rigPid));
    return kExitUsage;
  }
  for (const std::string& line : vm::stopKeptMachines(runDir, record))
    session.out() << "  " << line << "\n";
  if (host::anyRecordedProcessAlive(record, runDir)) {
    session.error(fmt::format(
        "some processes of {} would not end; the directory stays", runDir));
    return kExitInfrastructure;
  }
  host::removeTree(runDir);
  session.out() << fmt::format("removed {}\n", runDir);
  return kExitOk;
}

// A node still booting has no shell socket yet (a container's is a link,
// made before it boots, to the one its agent makes once up): wait for it
// while the node may run, saying so once.
constexpr int kShellWaitSeconds = 120;

bool waitForShellSocket(Session& session, const std::string& runDir,
                        const host::RunRecord& record,
                        const host::RecordedProcess& node,
                        const std::string& socket) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(kShellWaitSeconds);
  bool said = false;
  for (;;) {
    struct stat st;
    if (::stat(socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) return true;
    if (!nodeMayRun(runDir, record, node) ||
        std::chrono::steady_clock::now() >= deadline)
      return false;
    if (!said) {
      session.err() << fmt::format(
          "rig: waiting for node `{}` to open its shell (booting)\n",
          node.name);
      session.err().flush();
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int openShell(Session& session, const std::string& runDir,
              const host::RunRecord& record,
              const host::RecordedProcess& node) {
  if (!nodeMayRun(runDir, record, node)) {
    session.error(goneMessage(runDir, node));
    return kExitInfrastructure;
  }
  session.out().flush();
  std::string socket = runDir + "/" + node.name + "/shell.sock";
  if (!waitForShellSocket(session, runDir, record, node, socket)) {
    session.error(
        nodeMayRun(runDir, record, node)
            ? fmt::format(
                  "node `{}` has not opened its shell socket {} within {} s "
                  "(its console log: {}/{}/console.log)",
                  node.name, socket, kShellWaitSeconds, runDir, node.name)
            : goneMessage(runDir, node));
    return kExitInfrastructure;
  }
  session.err() << fmt::format("rig: a root shell on {} (Ctrl-] detaches)\r\n",
                               node.name);
  session.err().flush();
  llvm::Error err =
      protocol::attachShell(socket, STDIN_FILENO, STDOUT_FILENO, 3'000);
  if (err) {
    std::string why = llvm::toString(std::move(err));
    session.error(nodeMayRun(runDir, record, node)
                      ? why
                      : goneMessage(runDir, node) + " (" + why + ")");
    return kExitInfrastructure;
  }
  session.err() << "\r\nrig: detached\n";
  return kExitOk;
}

// Like `tail -n 30 -f`: the last lines of the console log, then whatever
// QEMU appends, until the machine is gone (Ctrl-C ends it sooner).
int followConsole(Session& session, const std::string& runDir,
                  const host::RunRecord& record,
                  const host::RecordedProcess& node) {
  std::string log = runDir + "/" + node.name + "/console.log";
  if (!llvm::sys::fs::exists(log) && !nodeMayRun(runDir, record, node)) {
    session.error(goneMessage(runDir, node));
    return kExitInfrastructure;
  }
  llvm::raw_ostream& out = session.out();
  // First the last lines of what is there, then only what is appended.
  auto whole = llvm::MemoryBuffer::getFileAsStream(log);
  llvm::StringRef text = whole ? (*whole)->getBuffer() : "";
  size_t start = text.size();
  for (size_t i = 0;
       i <= kConsoleTailLines && start != llvm::StringRef::npos && start > 0;
       ++i)
    start = text.rfind('\n', start - 1);
  out << (start == llvm::StringRef::npos ? text : text.drop_front(start + 1));
  out.flush();
  uint64_t offset = text.size();
  char buffer[65536];
  for (;;) {
    // Checked before reading, so the last lines written before the machine
    // ended are printed.
    bool running = nodeMayRun(runDir, record, node);
    int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      struct stat st {};
      if (::fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_size) < offset)
        offset = 0;  // a new log
      ssize_t n;
      while ((n = ::pread(fd, buffer, sizeof buffer,
                          static_cast<off_t>(offset))) > 0) {
        out.write(buffer, static_cast<size_t>(n));
        offset += static_cast<uint64_t>(n);
      }
      ::close(fd);
      out.flush();
    }
    if (!running) {
      session.err() << fmt::format("rig: {}\n", goneMessage(runDir, node));
      return kExitOk;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace

int runAttach(Session& session) {
  const Invocation& inv = session.invocation();
  if (inv.listRuns) return listRuns(session);

  // The directory as given, without a trailing slash, so that printed
  // paths read as the user typed them.
  std::string runDir = llvm::StringRef(inv.files[0]).rtrim('/').str();
  if (runDir.empty()) runDir = "/";
  auto record = host::readRunRecord(runDir);
  if (!record) {
    session.error(llvm::toString(record.takeError()));
    return kExitUsage;
  }
  if (inv.stop) return stopRun(session, runDir, *record);

  std::string nodeName =
      inv.consoleNode.empty() ? inv.files[1] : inv.consoleNode;
  const host::RecordedProcess* node = record->node(nodeName);
  if (!node) {
    session.error(fmt::format("no node `{}` in {} (its nodes: {})", nodeName,
                              runDir, record->nodeNames()));
    return kExitUsage;
  }
  if (!inv.consoleNode.empty())
    return followConsole(session, runDir, *record, *node);
  return openShell(session, runDir, *record, *node);
}

}  // namespace rig::driver
