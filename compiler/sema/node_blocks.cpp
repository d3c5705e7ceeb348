// Named blocks of a node body: service, unit, file, user, group, prepare
// (language.md sections 4 and 4a).
#include <functional>

#include <fmt/format.h>

#include "compiler/sema/node.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::sema {

using diag::Kind;

static const char* const kUnitSuffixes[] = {
    "service", "socket", "device", "mount", "automount", "swap",
    "target",  "path",   "timer",  "slice", "scope"};

bool isValidUnitPrefix(llvm::StringRef name, std::string& why) {
  if (name.empty()) {
    why = "it is empty";
    return false;
  }
  if (name.size() > 240) {
    why = "it is longer than 240 characters";
    return false;
  }
  for (char ch : name) {
    if (!llvm::isAlnum(ch) && !llvm::StringRef(":-_.\\@").contains(ch)) {
      why = fmt::format("`{}` is not allowed in unit names", ch);
      return false;
    }
  }
  return true;
}

bool isValidUnitName(llvm::StringRef name, std::string& why) {
  size_t dot = name.rfind('.');
  if (dot == llvm::StringRef::npos) {
    why = "it has no type suffix such as `.service` or `.timer`";
    return false;
  }
  llvm::StringRef suffix = name.substr(dot + 1);
  if (std::find(std::begin(kUnitSuffixes), std::end(kUnitSuffixes), suffix) ==
      std::end(kUnitSuffixes)) {
    why = fmt::format("`.{}` is not a unit type", suffix.str());
    return false;
  }
  return isValidUnitPrefix(name.substr(0, dot), why);
}

bool isValidAccountName(llvm::StringRef name) {
  if (name.empty() || name.size() > 32) return false;
  if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  for (size_t i = 1; i < name.size(); ++i) {
    char ch = name[i];
    if ((ch >= 'a' && ch <= 'z') || llvm::isDigit(ch) || ch == '_' || ch == '-')
      continue;
    if (ch == '$' && i + 1 == name.size()) continue;
    return false;
  }
  return true;
}

// Calls `f` for each `name = value` of a block body; reports unknown names
// (with did-you-mean), nested blocks and duplicates.
static void forEachAttr(
    Checker& c, const ast::Item& block, std::vector<std::string> allowed,
    const std::string& where,
    const std::function<void(const ast::Item&, const ast::Expr&)>& f) {
  std::map<std::string, SourceRange> seen;
  for (const ast::Item& attr : block.body) {
    if (attr.kind != ast::ItemKind::Attr || !attr.value) {
      c.emit(attr.nameRange, Kind::UnknownBlock, attr.name, where);
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), attr.name) == allowed.end()) {
      auto& d =
          c.emit(attr.nameRange, Kind::UnknownAttribute, attr.name, where);
      if (std::string best = suggest(attr.name, allowed); !best.empty())
        d.withHelp(fmt::format("did you mean `{}`?", best));
      continue;
    }
    auto [it, inserted] = seen.emplace(attr.name, attr.nameRange);
    if (!inserted) {
      c.emit(attr.nameRange, Kind::DuplicateAttribute, attr.name)
          .note(it->second, "first set here");
      continue;
    }
    f(attr, *attr.value);
  }
}

void NodeBuilder::applyBlock(const ast::Item& item, ItemContext& ctx) {
  const std::string& kind = item.name;
  if (kind == "firewall") {
    if (!item.hasBody)
      c_.emit(item.nameRange, Kind::BlockNeedsBody, kind, "");
    else
      applyFirewall(item, ctx);
    return;
  }
  // `use` is parsed as its own item: a block named so here is unknown.
  const NodeItem* known = findNodeItem("", kind);
  if (!known || !known->isBlock || kind == "use") {
    std::vector<std::string> names;
    for (llvm::StringRef block : nodeBlocks())
      if (block != "use") names.push_back(block.str());
    auto& d = c_.emit(item.nameRange, Kind::UnknownBlock, kind, ctx.where);
    if (std::string best = suggest(kind, names); !best.empty())
      d.withHelp(fmt::format("did you mean `{}`?", best));
    return;
  }
  if (!item.label) {
    c_.emit(item.nameRange, Kind::MissingLabel, kind);
    return;
  }
  auto label = string(*item.label, kind + " name", ctx);
  if (!label) return;
  if (item.value && kind != "file" && kind != "unit") {
    c_.emit(item.value->range, Kind::BlockNeedsBody, kind,
            "; only `file` and `unit` take `= STRING`");
    return;
  }
  if (kind == "service")
    applyService(item, *label, ctx);
  else if (kind == "unit")
    applyUnit(item, *label, ctx);
  else if (kind == "file")
    applyFile(item, *label, ctx);
  else if (kind == "user")
    applyUser(item, *label, ctx);
  else if (kind == "group")
    applyGroup(item, *label, ctx);
  else if (kind == "disk")
    applyDisk(item, *label, ctx);
  else if (kind == "mount")
    applyMount(item, *label, ctx);
  else
    applyPrepare(item, *label, ctx);
}

void NodeBuilder::applyService(const ast::Item& item, const std::string& name,
                               ItemContext& ctx) {
  std::string why;
  if (llvm::StringRef(name).endswith(".service")) {
    c_.emit(item.label->range, Kind::BadUnitName, name,
            "the `.service` suffix is added by rig")
        .withHelp(fmt::format("write `service \"{}\"`",
                              llvm::StringRef(name).drop_back(8).str()));
    return;
  }
  if (!isValidUnitPrefix(name, why)) {
    c_.emit(item.label->range, Kind::BadUnitName, name, why);
    return;
  }
  if (!claimName("service", name, item.label->range)) return;
  if (!claimName("unit", name + ".service", item.label->range)) return;
  Service s;
  s.name = name;
  s.origin = ctx.origin(item);
  bool hasExec = false;
  auto unitList = [&](const ast::Expr& e, const std::string& attr,
                      std::vector<std::string>& out) {
    if (auto v = unitNames(e, attr, ctx)) out = *v;
  };
  auto enumValue = [&](const ast::Expr& e, const std::string& attr,
                       std::vector<std::string> allowed, std::string& out) {
    auto v = string(e, attr, ctx);
    if (!v) return;
    if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
      std::string list;
      for (size_t i = 0; i < allowed.size(); ++i)
        list += (i ? ", " : "") + fmt::format("`{}`", allowed[i]);
      auto& d = c_.emit(e.range, Kind::BadEnumValue, attr, list, *v);
      if (std::string best = suggest(*v, allowed); !best.empty())
        d.withHelp(fmt::format("did you mean `{}`?", best));
      return;
    }
    out = *v;
  };
  std::string where = fmt::format("service `{}`", name);
  forEachAttr(
      c_, item, nodeAttributeNames("service"), where,
      [&](const ast::Item& attr, const ast::Expr& e) {
        const std::string& n = attr.name;
        if (n == "exec") {
          hasExec = true;
          if (auto v = string(e, n, ctx)) {
            if (llvm::StringRef(*v).trim().empty())
              c_.emit(e.range, Kind::EmptyString, n);
            s.exec = llvm::StringRef(*v).rtrim().str();
          }
        } else if (n == "description") {
          if (auto v = string(e, n, ctx)) s.description = *v;
        } else if (n == "type") {
          enumValue(e, n, {"simple", "exec", "oneshot", "notify", "forking"},
                    s.type);
        } else if (n == "restart") {
          // Every value of systemd's Restart= (systemd.service(5)).
          enumValue(e, n,
                    {"no", "always", "on-success", "on-failure", "on-abnormal",
                     "on-abort", "on-watchdog"},
                    s.restart);
        } else if (n == "user" || n == "group") {
          if (auto v = string(e, n, ctx)) (n == "user" ? s.user : s.group) = *v;
        } else if (n == "working_dir") {
          if (auto v = string(e, n, ctx)) {
            if (!llvm::StringRef(*v).startswith("/"))
              c_.emit(e.range, Kind::NotAbsolute, n, *v);
            s.workingDir = *v;
          }
        } else if (n == "environment") {
          if (auto v = stringMap(e, n, ctx)) s.environment = *v;
        } else if (n == "exec_start_pre" || n == "exec_start_post") {
          if (auto v = strings(e, n, ctx))
            (n == "exec_start_pre" ? s.execStartPre : s.execStartPost) = *v;
        } else if (n == "exec_stop") {
          if (auto v = string(e, n, ctx)) s.execStop = *v;
        } else if (n == "after") {
          unitList(e, n, s.after);
        } else if (n == "before") {
          unitList(e, n, s.before);
        } else if (n == "requires") {
          unitList(e, n, s.requiredUnits);
        } else if (n == "wants") {
          unitList(e, n, s.wants);
        } else if (n == "wanted_by") {
          std::vector<std::string> targets;
          unitList(e, n, targets);
          s.wantedBy = targets;
        } else if (n == "remain_after_exit") {
          if (auto v = boolean(e, n, ctx)) s.remainAfterExit = *v;
        } else if (n == "extra") {
          auto v = value(e, n, ctx);
          if (!v) return;
          if (v->kind() == ValueKind::String) {
            llvm::SmallVector<llvm::StringRef, 8> lines;
            llvm::StringRef(v->asString()).split(lines, '\n', -1, false);
            for (llvm::StringRef l : lines)
              if (!l.trim().empty()) s.extra.push_back(l.trim().str());
          } else if (auto list = strings(e, n, ctx)) {
            s.extra = *list;
          }
        }
      });
  if (!hasExec && !ctx.lenient) {
    c_.emit(item.label->range, Kind::MissingAttribute, "service", name, "exec");
    return;
  }
  cfg_.services.push_back(std::move(s));
}

void NodeBuilder::applyUnit(const ast::Item& item, const std::string& name,
                            ItemContext& ctx) {
  std::string why;
  if (!isValidUnitName(name, why)) {
    c_.emit(item.label->range, Kind::BadUnitName, name, why);
    return;
  }
  if (!claimName("unit", name, item.label->range)) return;
  RawUnit u;
  u.name = name;
  u.origin = ctx.origin(item.range);
  bool hasContent = false;
  if (item.value) {
    auto v = string(*item.value, "unit", ctx);
    if (!v) return;
    u.content = *v;
    hasContent = true;
  }
  forEachAttr(c_, item, nodeAttributeNames("unit"),
              fmt::format("unit `{}`", name),
              [&](const ast::Item&, const ast::Expr& e) {
                if (auto v = string(e, "content", ctx)) u.content = *v;
                hasContent = true;
              });
  if (!hasContent && !ctx.lenient) {
    c_.emit(item.label->range, Kind::MissingAttribute, "unit", name, "content");
    return;
  }
  cfg_.units.push_back(std::move(u));
}

void NodeBuilder::applyFile(const ast::Item& item, const std::string& path,
                            ItemContext& ctx) {
  if (!llvm::StringRef(path).startswith("/")) {
    c_.emit(item.label->range, Kind::RelativeFilePath, path)
        .withHelp(
            "files in the guest are named by absolute paths; `source` "
            "takes a host path relative to the spec");
    return;
  }
  if (!claimName("file", path, item.label->range)) return;
  FileEntry f;
  f.path = path;
  f.origin = ctx.origin(item);
  bool hasContent = false, hasSource = false;
  SourceRange sourceRange;
  if (item.value) {
    if (auto v = string(*item.value, "file", ctx)) f.content = *v;
    hasContent = true;
  }
  forEachAttr(
      c_, item, nodeAttributeNames("file"), fmt::format("file `{}`", path),
      [&](const ast::Item& attr, const ast::Expr& e) {
        const std::string& n = attr.name;
        if (n == "content") {
          hasContent = true;
          if (auto v = string(e, n, ctx)) f.content = *v;
        } else if (n == "source") {
          hasSource = true;
          sourceRange = attr.range;
          auto v = string(e, n, ctx);
          if (!v) return;
          // Relative to the file that says `source` (the spec, or the module).
          llvm::SmallString<256> full;
          if (llvm::sys::path::is_absolute(*v)) {
            full = *v;
          } else {
            full = llvm::sys::path::parent_path(c_.sources_.path(e.range.file));
            llvm::sys::path::append(full, *v);
          }
          llvm::sys::path::remove_dots(full, true);
          f.sourcePath = std::string(full);
          if (llvm::sys::fs::is_directory(full)) {
            c_.emit(e.range, Kind::MissingSourceFile, f.sourcePath,
                    "it is a directory");
            return;
          }
          auto buffer = llvm::MemoryBuffer::getFile(full, /*IsText=*/false,
                                                    /*RequiresNull=*/false);
          if (!buffer) {
            c_.emit(e.range, Kind::MissingSourceFile, f.sourcePath,
                    buffer.getError().message());
            return;
          }
          f.content = (*buffer)->getBuffer().str();
        } else if (n == "mode") {
          auto v = value(e, n, ctx);
          if (!v) return;
          if (v->kind() != ValueKind::String) {
            typeError(e, n, "an octal string like \"0644\"", *v);
            return;
          }
          llvm::StringRef m(v->asString());
          bool octal =
              (m.size() == 3 || m.size() == 4) &&
              llvm::all_of(m, [](char ch) { return ch >= '0' && ch <= '7'; });
          if (!octal) {
            c_.emit(e.range, Kind::BadFileMode, m.str());
            return;
          }
          f.mode = m.size() == 3 ? "0" + m.str() : m.str();
        } else if (n == "owner" || n == "group") {
          if (auto v = string(e, n, ctx))
            (n == "owner" ? f.owner : f.group) = *v;
        }
      });
  if (hasContent && hasSource) {
    c_.emit(sourceRange, Kind::FileContentAndSource, path,
            "sets both `content` and `source`");
    return;
  }
  if (!hasContent && !hasSource && !ctx.lenient) {
    c_.emit(item.label->range, Kind::MissingAttribute, "file", path,
            "content` or `source");
    return;
  }
  cfg_.files.push_back(std::move(f));
}

void NodeBuilder::applyUser(const ast::Item& item, const std::string& name,
                            ItemContext& ctx) {
  if (!isValidAccountName(name)) {
    c_.emit(item.label->range, Kind::BadName, name, "user");
    return;
  }
  if (!claimName("user", name, item.label->range)) return;
  UserEntry u;
  u.name = name;
  u.origin = ctx.origin(item);
  forEachAttr(c_, item, nodeAttributeNames("user"),
              fmt::format("user `{}`", name),
              [&](const ast::Item& attr, const ast::Expr& e) {
                const std::string& n = attr.name;
                if (n == "uid") {
                  if (auto v = integer(e, n, ctx)) {
                    if (*v < 0 || *v > 65533)
                      c_.emit(e.range, Kind::AttributeType, n,
                              "an id in 0..65533", "int", std::to_string(*v));
                    u.uid = *v;
                  }
                } else if (n == "system") {
                  if (auto v = boolean(e, n, ctx)) u.system = *v;
                } else if (n == "home") {
                  if (auto v = string(e, n, ctx)) {
                    if (!llvm::StringRef(*v).startswith("/"))
                      c_.emit(e.range, Kind::NotAbsolute, n, *v);
                    u.home = *v;
                  }
                } else if (n == "shell") {
                  if (auto v = string(e, n, ctx)) {
                    if (!llvm::StringRef(*v).startswith("/"))
                      c_.emit(e.range, Kind::NotAbsolute, n, *v);
                    u.shell = *v;
                  }
                } else if (n == "groups") {
                  if (auto v = strings(e, n, ctx)) {
                    for (const std::string& g : *v)
                      if (!isValidAccountName(g))
                        c_.emit(e.range, Kind::BadName, g, "group");
                    u.groups = *v;
                  }
                } else if (n == "group") {
                  if (auto v = string(e, n, ctx)) {
                    if (!isValidAccountName(*v))
                      c_.emit(e.range, Kind::BadName, *v, "group");
                    u.group = *v;
                  }
                } else if (n == "create_home") {
                  if (auto v = boolean(e, n, ctx)) u.createHome = *v;
                } else if (n == "password") {
                  if (auto v = string(e, n, ctx)) u.password = *v;
                }
              });
  cfg_.users.push_back(std::move(u));
}

void NodeBuilder::applyGroup(const ast::Item& item, const std::string& name,
                             ItemContext& ctx) {
  if (!isValidAccountName(name)) {
    c_.emit(item.label->range, Kind::BadName, name, "group");
    return;
  }
  if (!claimName("group", name, item.label->range)) return;
  GroupEntry g;
  g.name = name;
  g.origin = ctx.origin(item.range);
  forEachAttr(c_, item, nodeAttributeNames("group"),
              fmt::format("group `{}`", name),
              [&](const ast::Item& attr, const ast::Expr& e) {
                if (auto v = integer(e, attr.name, ctx)) g.gid = *v;
              });
  cfg_.groups.push_back(std::move(g));
}

void NodeBuilder::applyPrepare(const ast::Item& item, const std::string& name,
                               ItemContext& ctx) {
  if (name.empty() || name.find('/') != std::string::npos) {
    c_.emit(item.label->range, Kind::BadName, name, "prepare step");
    return;
  }
  bool defines = false;  // has `run`: a step of its own, else a reference
  for (const ast::Item& attr : item.body)
    if (attr.kind == ast::ItemKind::Attr && attr.name == "run") defines = true;
  auto shared = c_.topPrepares.find(name);
  if (!defines && shared != c_.topPrepares.end()) {
    // `prepare "certs" {}` mounts the top-level step of that name, at its
    // `mount_at` or at the one given here.
    if (!claimName("prepare", name, item.label->range)) return;
    PrepareEntry p = shared->second;
    p.origin = ctx.origin(item.range);
    forEachAttr(c_, item, {"mount_at"},
                fmt::format("prepare `{}` (the top-level step's mount; its "
                            "other attributes are set there)",
                            name),
                [&](const ast::Item& attr, const ast::Expr& e) {
                  if (auto v = mountAt(e, attr.name, ctx)) p.mountAt = *v;
                });
    if (!ctx.lenient) cfg_.prepares.push_back(std::move(p));
    return;
  }
  if (defines && shared != c_.topPrepares.end()) {
    c_.emit(item.label->range, Kind::DuplicateDeclaration,
            fmt::format("prepare \"{}\"", name))
        .note(shared->second.origin.range, "the top-level step")
        .withHelp("mount the top-level step with `prepare \"" + name +
                  "\" {}` (only `mount_at` may be set), or rename one");
    return;
  }
  if (!claimName("prepare", name, item.label->range)) return;
  auto p = prepareEntry(item, name, ctx, /*topLevel=*/false);
  if (p) cfg_.prepares.push_back(std::move(*p));
}

std::optional<std::string> NodeBuilder::mountAt(const ast::Expr& e,
                                                const std::string& attr,
                                                ItemContext& ctx) {
  auto v = string(e, attr, ctx);
  if (!v) return std::nullopt;
  if (!llvm::StringRef(*v).startswith("/"))
    c_.emit(e.range, Kind::NotAbsolute, attr, *v);
  else if (*v == "/")
    c_.emit(e.range, Kind::NotAbsolute, attr, *v)
        .withHelp("prepared state cannot replace the root");
  return v;
}

// A step's definition: `run`, `user`, `mount_at`, and at the top level
// `packages` (whose host versions key its cache, as a node's do for its
// own steps).
std::optional<PrepareEntry> NodeBuilder::prepareEntry(const ast::Item& item,
                                                      const std::string& name,
                                                      ItemContext& ctx,
                                                      bool topLevel) {
  PrepareEntry p;
  p.name = name;
  p.origin = ctx.origin(item);
  p.shared = topLevel;
  bool hasRun = false, hasMount = false;
  std::vector<std::string> allowed = nodeAttributeNames("prepare");
  if (topLevel) allowed.push_back("packages");
  forEachAttr(c_, item, allowed, fmt::format("prepare `{}`", name),
              [&](const ast::Item& attr, const ast::Expr& e) {
                const std::string& n = attr.name;
                if (n == "run") hasRun = true;
                if (n == "mount_at") hasMount = true;
                if (n == "packages") {
                  if (auto v = strings(e, n, ctx)) p.packages = *v;
                  return;
                }
                if (n == "mount_at") {
                  if (auto v = mountAt(e, n, ctx)) p.mountAt = *v;
                  return;
                }
                auto v = string(e, n, ctx);
                if (!v) return;
                if (n == "user") {
                  if (!isValidAccountName(*v))
                    c_.emit(e.range, Kind::BadName, *v, "user");
                  p.user = *v;
                } else if (n == "run") {
                  if (llvm::StringRef(*v).trim().empty())
                    c_.emit(e.range, Kind::EmptyString, n);
                  p.run = *v;
                }
              });
  if (ctx.lenient) return std::nullopt;
  if (!hasRun) {
    auto& d = c_.emit(item.label->range, Kind::MissingAttribute, "prepare",
                      name, "run");
    if (!topLevel)
      d.withHelp(fmt::format(
          "or declare `prepare \"{}\" {{ ... }}` at the top level to mount a "
          "step that several nodes share",
          name));
    return std::nullopt;
  }
  if (!hasMount) {
    c_.emit(item.label->range, Kind::MissingAttribute, "prepare", name,
            "mount_at");
    return std::nullopt;
  }
  return p;
}

// A mount point of `disk` or `mount`: absolute, not the root, no spaces
// (systemd's Where= and the guest's manifest).
bool NodeBuilder::checkMountPoint(const ast::Item& item,
                                  const std::string& path) {
  if (!llvm::StringRef(path).startswith("/") || path == "/" ||
      path.find_first_of(" \t\n\\") != std::string::npos ||
      llvm::StringRef(path).endswith("/")) {
    c_.emit(item.label->range, Kind::NotAbsolute, item.name, path)
        .withHelp(
            "a mount point is an absolute path other than `/`, without "
            "spaces or a trailing `/`");
    return false;
  }
  return claimName("mount point", path, item.label->range);
}

// `disk "/data" { size = 1GiB, fs = "ext4" }`: an extra virtio disk, made
// and formatted on the host at the node's first start, kept for the run.
void NodeBuilder::applyDisk(const ast::Item& item, const std::string& path,
                            ItemContext& ctx) {
  if (!checkMountPoint(item, path)) return;
  DiskEntry d;
  d.path = path;
  d.origin = ctx.origin(item.range);
  bool hasSize = false;
  forEachAttr(c_, item, {"size", "fs"}, fmt::format("disk `{}`", path),
              [&](const ast::Item& attr, const ast::Expr& e) {
                if (attr.name == "size") {
                  hasSize = true;
                  auto v = value(e, "size", ctx);
                  if (!v) return;
                  if (v->kind() != ValueKind::Size)
                    return typeError(e, "size", "a size", *v);
                  if (v->asSizeBytes() < (16ll << 20) ||
                      v->asSizeBytes() > (1ll << 40)) {
                    c_.emit(e.range, Kind::BadDiskSize, v->repr());
                    return;
                  }
                  d.sizeBytes = v->asSizeBytes();
                  return;
                }
                auto v = string(e, "fs", ctx);
                if (!v) return;
                if (*v != "ext4" && *v != "ext3" && *v != "ext2") {
                  c_.emit(e.range, Kind::BadEnumValue, "fs",
                          "`ext4`, `ext3`, `ext2`", *v);
                  return;
                }
                d.fs = *v;
              });
  if (ctx.lenient) return;
  if (!hasSize) {
    c_.emit(item.label->range, Kind::MissingAttribute, "disk", path, "size");
    return;
  }
  cfg_.disks.push_back(std::move(d));
}

// `mount "/data" { what, type, options }`: the systemd unit `data.mount`,
// wanted by the boot target.
void NodeBuilder::applyMount(const ast::Item& item, const std::string& path,
                             ItemContext& ctx) {
  if (!checkMountPoint(item, path)) return;
  MountEntry m;
  m.path = path;
  m.unit = mountUnitName(path);
  m.origin = ctx.origin(item.range);
  if (!claimName("unit", m.unit, item.label->range)) return;
  bool hasWhat = false, hasType = false;
  forEachAttr(
      c_, item, {"what", "type", "options"}, fmt::format("mount `{}`", path),
      [&](const ast::Item& attr, const ast::Expr& e) {
        const std::string& n = attr.name;
        if (n == "options") {
          auto v = strings(e, n, ctx);
          if (!v) return;
          for (const std::string& o : *v)
            if (o.empty() || o.find_first_of(",\n ") != std::string::npos) {
              c_.emit(e.range, Kind::BadName, o, "mount option");
              return;
            }
          m.options = *v;
          return;
        }
        (n == "what" ? hasWhat : hasType) = true;
        auto v = string(e, n, ctx);
        if (!v) return;
        if (v->empty() || v->find('\n') != std::string::npos) {
          c_.emit(e.range, Kind::EmptyString, n);
          return;
        }
        (n == "what" ? m.what : m.type) = *v;
      });
  if (ctx.lenient) return;
  for (auto [has, attr] :
       {std::pair{hasWhat, "what"}, std::pair{hasType, "type"}})
    if (!has) {
      c_.emit(item.label->range, Kind::MissingAttribute, "mount", path, attr);
      return;
    }
  cfg_.mounts.push_back(std::move(m));
}

// systemd-escape --path --suffix=mount: `/var/lib/x-y` is
// `var-lib-x\x2dy.mount`.
std::string mountUnitName(llvm::StringRef path) {
  path = path.trim('/');
  if (path.empty()) return "-.mount";
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    char ch = path[i];
    if (ch == '/')
      out += '-';
    else if (llvm::isAlnum(ch) || ch == ':' || ch == '_' ||
             (ch == '.' && i > 0))
      out += ch;
    else
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(ch));
  }
  return out + ".mount";
}

}  // namespace rig::sema
