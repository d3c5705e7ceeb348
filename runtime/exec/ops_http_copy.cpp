// HTTP from inside the guest and file copies between host and guest or two
// guests (language.md section 8): http, copy_from_host, copy_to_host,
// copy_to.
#include <unistd.h>

#include <atomic>

#include "fmt/format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/exec/callables.h"
#include "runtime/exec/interpreter.h"
#include "runtime/plan/url.h"

namespace rig::exec {

Value operation_http(Call& c) {
  const std::string& m = c.machine;
  machine::HttpRequest request;
  request.maxBodyBytes = c.nodes.options().maxOutputBytes;
  request.method = c.string(0);
  request.url = c.string(1);
  if (const Value* query = c.get(5))
    request.url = plan::withQuery(request.url,
                                  wantStringPairs(c.callee, "query", *query));
  bool hasContentType = false;
  if (const Value* headers = c.get(3)) {
    if (headers->kind() != ValueKind::Object)
      failf("`{}`: `headers` must be an object", c.callee);
    for (const auto& [name, value] : headers->asObject()) {
      request.headers.emplace_back(name, value.str());
      if (llvm::StringRef(name).equals_insensitive("content-type"))
        hasContentType = true;
    }
  }
  if (const Value* body = c.get(2); body && !body->isNull()) {
    if (body->kind() == ValueKind::String) {
      request.body = body->asString();
    } else {
      llvm::raw_string_ostream os(request.body);
      os << body->toJSON();
      os.flush();
      if (!hasContentType)
        request.headers.emplace_back("content-type", "application/json");
    }
  }
  request.timeoutMs = c.timeoutMs(4);
  c.nodes.ensureStarted(m);
  if (c.nodes.options().verbosity >= 2 && c.nodes.hooks().log)
    c.nodes.hooks().log(
        fmt::format("{}: {} {}", m, request.method, request.url));
  llvm::Expected<machine::HttpResponse> response =
      c.nodes.machine(m).http(request);
  if (!response) {
    llvm::Error error = response.takeError();
    if (c.nodes.machine(m).state() == machine::MachineState::Dead)
      c.nodes.machineFailed(m, std::move(error), "http");
    // A refused connection or a timeout is the system under test's doing.
    Failure f;
    f.message = fmt::format("http {} {} failed: {}", request.method,
                            request.url, llvm::toString(std::move(error)));
    f.machines = {m};
    throw f;
  }
  ValueObject headers;
  for (const auto& [name, value] : response->headers)
    headers.emplace_back(llvm::StringRef(name).lower(), Value::string(value));
  Value json;
  if (llvm::Expected<llvm::json::Value> parsed =
          llvm::json::parse(response->body))
    json = Value::fromJSON(*parsed);
  else
    llvm::consumeError(parsed.takeError());
  return Value::object({{"status", Value::integer(response->status)},
                        {"headers", Value::object(std::move(headers))},
                        {"body", Value::string(response->body)},
                        {"json", std::move(json)}});
}

// A file operation on node `m` failed: the node's end when it is no longer
// running, else the test's failure.
[[noreturn]] static void fileOpFailed(Call& c, const std::string& m,
                                      llvm::Error e, const char* what,
                                      const std::string& action) {
  if (c.nodes.machine(m).state() != machine::MachineState::Running)
    c.nodes.machineFailed(m, std::move(e), what);
  failf("{}: cannot {} in `{}`: {}", c.callee, action, m,
        llvm::toString(std::move(e)));
}

// Copies from the host when `fromHost`, else to it.
static Value copy(Call& c, bool fromHost) {
  const std::string& m = c.machine;
  std::string hostPath = c.string(fromHost ? 0 : 1);
  std::string guestPath = c.string(fromHost ? 1 : 0);
  // Relative host paths are relative to the suite file, like `file source`.
  if (llvm::sys::path::is_relative(hostPath)) {
    llvm::SmallString<256> base(
        llvm::sys::path::parent_path(c.nodes.plan().suitePath));
    llvm::sys::path::append(base, hostPath);
    hostPath = std::string(base);
  }
  c.nodes.ensureStarted(m);
  machine::Machine* vm = &c.nodes.machine(m);
  if (fromHost) {
    // A file, or a directory copied recursively.
    std::vector<std::pair<std::string, std::string>> files;  // host, guest
    if (llvm::sys::fs::is_directory(hostPath)) {
      std::error_code ec;
      for (llvm::sys::fs::recursive_directory_iterator it(hostPath, ec), end;
           it != end && !ec; it.increment(ec)) {
        if (llvm::sys::fs::is_regular_file(it->path())) {
          llvm::StringRef rel =
              llvm::StringRef(it->path()).drop_front(hostPath.size());
          files.emplace_back(it->path(), guestPath + rel.str());
        }
      }
      if (ec) failf("{}: cannot read {}: {}", c.callee, hostPath, ec.message());
    } else {
      files.emplace_back(hostPath, guestPath);
    }
    for (const auto& [host, guest] : files) {
      auto buffer =
          llvm::MemoryBuffer::getFile(host, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
      if (!buffer)
        failf("{}: cannot read {}: {}", c.callee, host,
              buffer.getError().message());
      uint32_t mode = 0644;
      llvm::sys::fs::file_status status;
      if (!llvm::sys::fs::status(host, status))
        mode = status.permissions() & 07777;
      c.nodes.run(
          m,
          "mkdir -p -- " + shellQuote(llvm::sys::path::parent_path(
                                          guest, llvm::sys::path::Style::posix)
                                          .str()),
          30'000);
      if (llvm::Error e = vm->writeFile(guest, (*buffer)->getBuffer(), mode))
        fileOpFailed(c, m, std::move(e), "copy_from_host", "write " + guest);
    }
    return Value();
  }
  llvm::Expected<std::string> data = vm->readFile(guestPath);
  if (!data)
    fileOpFailed(c, m, data.takeError(), "copy_to_host", "read " + guestPath);
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(hostPath));
  std::error_code ec;
  llvm::raw_fd_ostream out(hostPath, ec);
  if (ec) failf("{}: cannot write {}: {}", c.callee, hostPath, ec.message());
  out << *data;
  return Value();
}

Value operation_copy_from_host(Call& c) { return copy(c, true); }
Value operation_copy_to_host(Call& c) { return copy(c, false); }

// `a.copy_to(b, src, dst)`: through the host, byte for byte. A file is read
// and written whole (its mode kept); a directory is packed with tar in the
// source guest and unpacked in the target (modes and owners kept).
Value operation_copy_to(Call& c) {
  constexpr double kCommandMs = 300'000;
  const std::string& from = c.machine;
  const Value& target = c.required(0);
  if (target.kind() != ValueKind::Machine)
    failf("{}: the target is {}, not a node", c.callee,
          kindName(target.kind()).str());
  const std::string& to = target.asString();
  const std::string& src = c.string(1);
  const std::string& dst = c.string(2);
  for (const std::string* path : {&src, &dst})
    if (!llvm::StringRef(*path).startswith("/"))
      failf("{}: `{}` is not an absolute path", c.callee, *path);
  if (!c.nodes.has(to)) failf("{}: there is no node `{}`", c.callee, to);
  c.nodes.ensureStarted(from);
  c.nodes.ensureStarted(to);

  // What `src` is: "file MODE", or "dir ARCHIVE" once packed.
  std::string q = shellQuote(src);
  machine::ExecResult probe = c.nodes.run(
      from,
      "if [ -d " + q + " ]; then t=$(mktemp /tmp/rig-copy.XXXXXX) && tar -C " +
          q + " -cf \"$t\" . && echo \"dir $t\"; elif [ -f " + q +
          " ]; then echo \"file $(stat -Lc %a " + q +
          ")\"; else echo missing; fi",
      kCommandMs);
  auto [kind, rest] = llvm::StringRef(probe.stdoutText).trim().split(' ');
  if (probe.status != 0 || (kind != "dir" && kind != "file"))
    failf("{}: cannot copy {} from `{}`: {}", c.callee, src, from,
          kind == "missing" ? std::string("no such file or directory")
                            : llvm::StringRef(probe.stderrText).trim().str());
  bool dir = kind == "dir";
  std::string readPath = dir ? rest.str() : src;
  llvm::Expected<std::string> data = c.nodes.machine(from).readFile(readPath);
  if (dir) c.nodes.run(from, "rm -f -- " + shellQuote(readPath), kCommandMs);
  if (!data) fileOpFailed(c, from, data.takeError(), "copy_to", "read " + src);

  llvm::StringRef parent =
      llvm::sys::path::parent_path(dst, llvm::sys::path::Style::posix);
  std::string mkdir =
      "mkdir -p -- " + shellQuote(dir ? llvm::StringRef(dst) : parent);
  if (!dir) {
    unsigned mode = 0644;
    rest.getAsInteger(8, mode);
    c.nodes.run(to, mkdir, kCommandMs);
    if (llvm::Error e = c.nodes.machine(to).writeFile(dst, *data, mode & 07777))
      fileOpFailed(c, to, std::move(e), "copy_to", "write " + dst);
    return Value();
  }
  static std::atomic<unsigned> serial{0};
  std::string archive =
      fmt::format("/tmp/rig-copy-in.{}.{}", ::getpid(), ++serial);
  if (llvm::Error e = c.nodes.machine(to).writeFile(archive, *data, 0600))
    fileOpFailed(c, to, std::move(e), "copy_to", "write " + archive);
  machine::ExecResult unpack = c.nodes.run(
      to,
      mkdir + " && tar -C " + shellQuote(dst) + " -xpf " + shellQuote(archive) +
          "; s=$?; rm -f -- " + shellQuote(archive) + "; exit $s",
      kCommandMs);
  if (unpack.status != 0)
    failf("{}: cannot unpack {} into {} in `{}`: {}", c.callee, src, dst, to,
          llvm::StringRef(unpack.stderrText).trim().str());
  return Value();
}

}  // namespace rig::exec
