#include "runtime/host/run_record.h"

#include <signal.h>

#include <cerrno>
#include <ctime>

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "runtime/host/run_dir.h"
#include "runtime/support/error.h"

namespace rig::host {
namespace {

bool readProcesses(const llvm::json::Object& root, llvm::StringRef key,
                   std::vector<RecordedProcess>& out, std::string& error) {
  const llvm::json::Array* list = root.getArray(key);
  if (!list) {
    error = ("`" + key + "` is missing").str();
    return false;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const llvm::json::Object* entry = (*list)[i].getAsObject();
    std::string where = (key + "[" + llvm::Twine(i) + "]").str();
    if (!entry) {
      error = where + " is not an object";
      return false;
    }
    RecordedProcess p;
    auto pid = entry->getInteger("pid");
    if (!pid || *pid < 0) {
      error = where + ".pid is missing";
      return false;
    }
    p.pid = static_cast<pid_t>(*pid);
    if (auto name = entry->getString("name")) p.name = name->str();
    if (auto vlan = entry->getInteger("vlan")) {
      p.vlan = *vlan;
      if (p.name.empty()) p.name = "vlan" + std::to_string(*vlan);
    }
    if (p.name.empty()) {
      error = where + " has no name";
      return false;
    }
    out.push_back(std::move(p));
  }
  return true;
}

}  // namespace

const RecordedProcess* RunRecord::node(llvm::StringRef name) const {
  for (const RecordedProcess& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

std::string RunRecord::nodeNames() const {
  std::string names;
  for (const RecordedProcess& n : nodes)
    names += (names.empty() ? "" : ", ") + n.name;
  return names;
}

std::string renderRunRecord(const RunRecord& r) {
  llvm::json::Array nodes, switches;
  for (const RecordedProcess& n : r.nodes)
    nodes.push_back(llvm::json::Object{{"name", n.name}, {"pid", n.pid}});
  for (const RecordedProcess& s : r.switches)
    switches.push_back(llvm::json::Object{{"vlan", s.vlan}, {"pid", s.pid}});
  llvm::json::Object root{{"suite", r.suite},
                          {"path", r.path},
                          {"rig_pid", r.rigPid},
                          {"nodes", std::move(nodes)},
                          {"switches", std::move(switches)}};
  if (r.kept()) root["kept_at"] = r.keptAt;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return os.str();
}

llvm::Expected<RunRecord> parseRunRecord(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(text);
  if (!value) return value.takeError();
  const llvm::json::Object* root = value->getAsObject();
  if (!root) return failure("not a JSON object");
  RunRecord r;
  if (auto s = root->getString("suite")) r.suite = s->str();
  if (auto s = root->getString("path")) r.path = s->str();
  if (auto s = root->getString("kept_at")) r.keptAt = s->str();
  if (auto pid = root->getInteger("rig_pid"))
    r.rigPid = static_cast<pid_t>(*pid);
  std::string error;
  if (!readProcesses(*root, "nodes", r.nodes, error) ||
      !readProcesses(*root, "switches", r.switches, error))
    return failure(error);
  return r;
}

llvm::Error writeRunRecord(llvm::StringRef runDir, const RunRecord& record) {
  return writeFileAtomically(runDir.str() + "/" + kRunRecordFile,
                             renderRunRecord(record), 0600);
}

llvm::Expected<RunRecord> readRunRecord(llvm::StringRef runDir) {
  if (!llvm::sys::fs::is_directory(runDir))
    return failure(
        runDir +
        " is not a directory (a run directory is printed by `rig run "
        "--keep-vms-on-failure`; `rig attach --list` shows the kept ones)");
  std::string path = runDir.str() + "/" + kRunRecordFile;
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return failure(runDir + " is not a run directory of rig (it has no " +
                   kRunRecordFile +
                   "; `rig attach --list` shows the kept ones)");
  auto record = parseRunRecord((*buffer)->getBuffer());
  if (!record) return failure(path + ": " + llvm::toString(record.takeError()));
  return record;
}

bool processOfRunAlive(pid_t pid, llvm::StringRef runDir) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  auto cmdline = llvm::MemoryBuffer::getFileAsStream(
      "/proc/" + std::to_string(pid) + "/cmdline");
  if (!cmdline) return false;
  // The directory's own name, between slashes, matches however the path to
  // it is spelled (a symlink, a trailing slash). A zombie has an empty
  // command line: it is gone.
  std::string name =
      "/" + llvm::sys::path::filename(runDir.rtrim('/')).str() + "/";
  return name.size() > 2 && (*cmdline)->getBuffer().contains(name);
}

bool anyRecordedProcessAlive(const RunRecord& record, llvm::StringRef runDir) {
  for (const auto* list : {&record.nodes, &record.switches})
    for (const RecordedProcess& p : *list)
      if (processOfRunAlive(p.pid, runDir)) return true;
  return false;
}

std::string utcTimestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace rig::host
