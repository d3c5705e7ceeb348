// HTTP from inside the guest and file copies between host and guest
// (language.md section 8): http, copy_from_host, copy_to_host.
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
      if (llvm::Error e = vm->writeFile(guest, (*buffer)->getBuffer(), mode)) {
        if (vm->state() != machine::MachineState::Running)
          c.nodes.machineFailed(m, std::move(e), "copy_from_host");
        failf("{}: cannot write {} in `{}`: {}", c.callee, guest, m,
              llvm::toString(std::move(e)));
      }
    }
    return Value();
  }
  llvm::Expected<std::string> data = vm->readFile(guestPath);
  if (!data) {
    llvm::Error e = data.takeError();
    if (vm->state() != machine::MachineState::Running)
      c.nodes.machineFailed(m, std::move(e), "copy_to_host");
    failf("{}: cannot read {} in `{}`: {}", c.callee, guestPath, m,
          llvm::toString(std::move(e)));
  }
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(hostPath));
  std::error_code ec;
  llvm::raw_fd_ostream out(hostPath, ec);
  if (ec) failf("{}: cannot write {}: {}", c.callee, hostPath, ec.message());
  out << *data;
  return Value();
}

Value operation_copy_from_host(Call& c) { return copy(c, true); }
Value operation_copy_to_host(Call& c) { return copy(c, false); }

}  // namespace rig::exec
