#include "runtime/vm/cluster.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include "runtime/host/packages.h"
#include "runtime/host/process.h"
#include "runtime/support/error.h"
#include "runtime/vm/initramfs.h"

namespace rig::vm {

llvm::Expected<std::unique_ptr<Cluster>> Cluster::create(
    llvm::ArrayRef<plan::Node> nodes, const ClusterOptions& o) {
  host::installSignalHandlers();
  if (o.checkPackages) {
    std::vector<std::string> wanted;
    std::set<std::string> seen;
    for (auto& n : nodes)
      for (auto& p : n.packages)
        if (seen.insert(p).second) wanted.push_back(p);
    auto missing = host::missingPackages(wanted);
    if (!missing) return missing.takeError();
    if (!missing->empty()) {
      std::string names;
      for (auto& m : *missing) names += (names.empty() ? "" : ", ") + m;
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "host packages missing: %s (the guests "
                                     "see the host's /usr); install them with "
                                     "`%s`",
                                     names.c_str(),
                                     host::aptGetLine(*missing).c_str());
    }
  }
  std::unique_ptr<Cluster> c(new Cluster());
  std::vector<plan::Node> vmNodes, containerNodes;
  for (auto& n : nodes)
    (n.backend == "container" ? containerNodes : vmNodes).push_back(n);
  if (!containerNodes.empty() && !o.containers)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "node `%s` is a container, and this program runs only VMs",
        containerNodes.front().name.c_str());
  for (auto& n : containerNodes)
    if (!n.kernelParams.empty())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "node `%s` is a container and has kernel_params, which "
          "only a VM has",
          n.name.c_str());
  std::string keeper = o.keeper;
  if (o.keepable && keeper.empty()) {
    auto found = host::keeperNextToExecutable();
    if (!found) return found.takeError();
    keeper = *found;
  }
  if (!vmNodes.empty()) {
    if (o.resolvedKernel) {
      c->kernel_ = *o.resolvedKernel;
    } else {
      auto k = host::findKernel(o.kernel);
      if (!k) return k.takeError();
      c->kernel_ = *k;
    }
    if (o.accel) {
      c->accel_ = *o.accel;
      c->accelReason_ =
          std::string(host::accelName(*o.accel)) + ": chosen by the caller";
    } else {
      host::AccelOptions ao;
      ao.forced = o.forcedAccel;
      ao.kernel = c->kernel_;
      ao.qemu = o.qemu;
      auto choice = host::chooseAccel(ao);
      if (!choice) return choice.takeError();
      c->accel_ = choice->accel;
      c->accelReason_ = choice->reason;
    }
    c->initrd_ = o.initrd;
    if (c->initrd_.empty()) {
      InitramfsSpec spec;
      spec.guestBinary = o.guestBinary;
      spec.kernel = c->kernel_;
      auto path = buildInitramfs(spec);
      if (!path) return path.takeError();
      c->initrd_ = *path;
    }
  }
  auto hostEtc = readHostEtc();
  if (!hostEtc) return hostEtc.takeError();
  auto sharedEtc = std::make_shared<const HostEtc>(std::move(*hostEtc));
  auto dpkg = host::DpkgStatus::read();
  if (!dpkg) return dpkg.takeError();

  auto runDir = host::RunDir::create(o.suiteName, o.runDirBase);
  if (!runDir) return runDir.takeError();
  c->runDir_ = std::move(*runDir);
  c->runDir_->keep(o.keepRunDir);
  c->record_.suite = o.suiteName;
  c->record_.path = o.suitePath;
  c->record_.rigPid = getpid();
  for (auto& n : nodes) c->record_.nodes.push_back({n.name, 0, 0});
  if (auto err = host::writeRunRecord(c->runDir_->path(), c->record_))
    return err;

  std::set<int64_t> vlans;
  for (auto& n : vmNodes)
    for (auto& v : n.vlans) vlans.insert(v.vlan);
  std::map<int64_t, std::string> switchDirs;
  for (int64_t vlan : vlans) {
    auto s = VdeSwitch::start(c->runDir_->path(), vlan, 5'000, keeper);
    if (!s) return s.takeError();
    switchDirs[vlan] = (*s)->socketDir();
    c->switches_.push_back(std::move(*s));
  }
  if (!containerNodes.empty()) {
    auto backend = o.containers(containerNodes, c->runDir_->path(), keeper);
    if (!backend) return backend.takeError();
    c->containers_ = std::move(*backend);
    // A vlan of VMs and containers: the VMs' switch joins the containers'
    // network.
    std::set<int64_t> joined;
    for (auto& n : containerNodes)
      for (auto& v : n.vlans)
        if (auto it = switchDirs.find(v.vlan);
            it != switchDirs.end() && joined.insert(v.vlan).second)
          if (auto err = c->containers_->joinSwitch(v.vlan, it->second))
            return err;
  }
  for (auto& n : nodes) {
    // What every backend renders the node's root with.
    NodeOptions base;
    base.node = n;
    base.runDir = c->runDir_->path();
    auto it = o.overlays.find(n.name);
    if (it != o.overlays.end()) base.overlays = it->second;
    base.hostEtc = sharedEtc;
    base.keeper = keeper;
    // An enabled package unit keeps the groups its file names (networkd's
    // names systemd-udevd.service).
    std::string enabledText;
    for (const std::string& unit : n.enable) {
      bool own =
          std::any_of(n.units.begin(), n.units.end(),
                      [&](const plan::Unit& u) { return u.name == unit; });
      if (own) continue;
      auto text = packageUnitText(unit);
      if (!text)
        return failure("node `" + n.name +
                       "`: " + llvm::toString(text.takeError()));
      enabledText += *text + "\n";
    }
    if (o.trimBoot)
      base.trim = bootTrimFor(n, o.programText + "\n" + enabledText);
    base.varDirs = host::varSkeleton(*dpkg, n.packages);
    if (n.backend == "container") {
      auto m = c->containers_->machine(std::move(base));
      if (!m) return m.takeError();
      c->machines_.push_back(std::move(*m));
      continue;
    }
    QemuMachineOptions mo;
    static_cast<NodeOptions&>(mo) = std::move(base);
    mo.accel = c->accel_;
    mo.kernel = c->kernel_;
    mo.initrd = c->initrd_;
    mo.qemu = o.qemu;
    mo.switchDirs = switchDirs;
    mo.quiet = o.quiet;
    mo.stateDisk = o.stateDisks;
    c->machines_.push_back(std::make_unique<QemuMachine>(std::move(mo)));
  }
  return c;
}

Cluster::~Cluster() {
  stopAll();
  machines_.clear();
  containers_.reset();
  switches_.clear();
  // runDir_'s destructor removes the directory unless kept.
}

NodeMachine* Cluster::machine(llvm::StringRef name) {
  for (auto& m : machines_)
    if (m->name() == name) return m.get();
  return nullptr;
}

llvm::Error Cluster::startAll(double timeoutMs) {
  std::vector<llvm::Error> errors;
  for (size_t i = 0; i < machines_.size(); ++i)
    errors.push_back(llvm::Error::success());
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < machines_.size(); ++i)
      threads.emplace_back(
          [&, i] { errors[i] = machines_[i]->start(timeoutMs); });
    for (auto& t : threads) t.join();
  }
  llvm::Error all = llvm::Error::success();
  for (auto& e : errors) all = llvm::joinErrors(std::move(all), std::move(e));
  return all;
}

void Cluster::stopAll() {
  std::vector<std::thread> threads;
  for (auto& m : machines_) threads.emplace_back([&m] { m->stop(); });
  for (auto& t : threads) t.join();
}

llvm::Expected<std::optional<host::RunRecord>> Cluster::keepRunning() {
  host::RunRecord record = record_;
  record.nodes.clear();
  bool anyRunning = false;
  for (auto& m : machines_) {
    pid_t pid = m->state() == MachineState::Running ? m->processPid() : -1;
    record.nodes.push_back({m->name().str(), 0, pid > 0 ? pid : 0});
    anyRunning |= pid > 0;
  }
  if (!anyRunning) return std::nullopt;
  for (auto& s : switches_)
    record.switches.push_back(
        {"vlan" + std::to_string(s->vlan()), s->vlan(), s->pid()});
  // The containers' network namespace, recorded like a switch (vlan 0).
  if (containers_ && containers_->keptPid() > 0)
    record.switches.push_back({"netns", 0, containers_->keptPid()});
  record.keptAt = host::utcTimestamp();
  // Recorded first: whatever happens next, `rig attach --stop` and the
  // stale-directory check know every process that may outlive rig.
  if (auto err = host::writeRunRecord(runDir(), record)) return err;
  runDir_->keep(true);
  llvm::Error problems = llvm::Error::success();
  for (auto& m : machines_) {
    auto pid = m->detach();
    if (!pid) problems = llvm::joinErrors(std::move(problems), pid.takeError());
  }
  for (auto& s : switches_)
    if (auto err = s->release())
      problems = llvm::joinErrors(std::move(problems), std::move(err));
  if (containers_)
    if (auto err = containers_->release())
      problems = llvm::joinErrors(std::move(problems), std::move(err));
  if (problems) return problems;
  return record;
}

}  // namespace rig::vm
