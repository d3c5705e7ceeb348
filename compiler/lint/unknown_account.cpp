// unknown-account (L0013): a node names a user or group that neither the
// node declares nor the host has: a user's `group` or `groups`, a file's
// `owner` or `group`, a service's `user` or `group`. A guest's accounts are
// the host's plus the node's, so the node would fail to boot ("unknown
// group") or the unit to start. A prepare step runs on the host
// (runtime/host/prepare.cpp): its `user` must be the host's, by name. A
// node whose `packages` name one the host has not installed may get the
// account from it: it is not checked (the run says the package is missing).
#include "compiler/lint/context.h"
#include "compiler/sema/sema.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace rig::lint {

namespace {

// The accounts a node's guest has beside the host's.
struct NodeAccounts {
  llvm::StringSet<> users, groups;
};

NodeAccounts declaredAccounts(const sema::NodeConfig& node,
                              const HostFacts& host) {
  NodeAccounts a;
  for (const sema::GroupEntry& g : node.groups) a.groups.insert(g.name);
  for (const sema::UserEntry& u : node.users) {
    a.users.insert(u.name);
    // A new user gets a group of its own name unless `group` names another
    // (runtime/vm/accounts.cpp).
    if (!host.hasUser(u.name) && (u.group.empty() || u.group == u.name))
      a.groups.insert(u.name);
  }
  return a;
}

bool isId(llvm::StringRef name) {
  return !name.empty() && llvm::all_of(name, llvm::isDigit);
}

}  // namespace

void checkUnknownAccount(Context& ctx) {
  const HostFacts* host = ctx.options().hostFacts;
  const sema::Program* program = ctx.program();
  if (!host || !program) return;
  for (const ast::Node& decl : ctx.suite().nodes) {
    const sema::NodeConfig* node = program->node(decl.name);
    if (!node) continue;
    bool packagesKnown =
        llvm::all_of(node->packages,
                     [&](const std::string& p) { return host->hasPackage(p); });
    if (!packagesKnown) continue;
    NodeAccounts declared = declaredAccounts(*node, *host);
    // `attr` names the attribute that says `name`: the diagnostic points
    // at it.
    auto check = [&](llvm::StringRef kind, llvm::StringRef name,
                     const sema::Origin& origin, llvm::StringRef attr,
                     llvm::StringRef what, bool onHost = false) {
      if (name.empty() || (!onHost && isId(name))) return;
      bool known =
          kind == "user"
              ? (!onHost && declared.users.count(name)) || host->hasUser(name)
              : declared.groups.count(name) || host->hasGroup(name);
      if (known) return;
      bool fromModule = !origin.module.empty();
      diag::Diagnostic& d = ctx.emit(
          fromModule ? origin.useRange : origin.at(attr),
          diag::Kind::UnknownAccount, kind.str(), name.str(),
          onHost ? std::string("on the host, where prepare steps run")
                 : fmt::format("in node `{}` or on the host", node->name));
      if (fromModule)
        d.note(origin.at(attr),
               fmt::format("{}, from module `{}`", what, origin.module));
      if (onHost)
        d.withHelp(fmt::format(
            "{} runs on the host as this user: name a user of the host's "
            "/etc/passwd, or install the package that creates it there",
            what));
      else
        d.withHelp(fmt::format(
            "declare it in the node (`{} \"{}\" {{ }}`), or install the "
            "package that creates it on the host",
            kind, name));
    };
    for (const sema::UserEntry& u : node->users) {
      std::string what = fmt::format("the user `{}`", u.name);
      check("group", u.group, u.origin, "group", what);
      for (const std::string& g : u.groups)
        check("group", g, u.origin, "groups", what);
    }
    for (const sema::FileEntry& f : node->files) {
      std::string what = fmt::format("the file `{}`", f.path);
      check("user", f.owner, f.origin, "owner", what);
      check("group", f.group, f.origin, "group", what);
    }
    for (const sema::Service& s : node->services) {
      std::string what = fmt::format("the service `{}`", s.name);
      check("user", s.user, s.origin, "user", what);
      check("group", s.group, s.origin, "group", what);
    }
    for (const sema::PrepareEntry& p : node->prepares)
      check("user", p.user, p.origin, "user",
            fmt::format("the prepare step `{}`", p.name), /*onHost=*/true);
  }
}

}  // namespace rig::lint
