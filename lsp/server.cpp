#include "lsp/server.h"

#include <algorithm>

#include "compiler/format/format.h"
#include "llvm/Support/FileSystem.h"
#include "lsp/features.h"
#include "lsp/position.h"
#include "lsp/uri.h"

namespace rig::lsp {

namespace json = llvm::json;

namespace {

json::Object capabilities() {
  return json::Object{
      {"textDocumentSync",
       json::Object{{"openClose", true}, {"change", 1}, {"save", true}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentSymbolProvider", true},
      {"documentFormattingProvider", true},
      {"codeActionProvider", true},
      {"completionProvider",
       json::Object{{"triggerCharacters", json::Array{".", "\""}}}},
      {"signatureHelpProvider",
       json::Object{{"triggerCharacters", json::Array{"(", ","}}}},
  };
}

const json::Object* object(const json::Object* o, llvm::StringRef key) {
  return o ? o->getObject(key) : nullptr;
}

}  // namespace

Server::Server(Transport& transport, ServerOptions options)
    : transport_(transport), options_(std::move(options)) {}

int Server::run() {
  std::string body;
  while (!exit_) {
    Transport::Read r = transport_.read(body, msUntilNextCheck());
    if (r == Transport::Read::Closed) break;
    if (r == Transport::Read::Message) handle(body);
    runDueChecks();
  }
  return shutdown_ ? 0 : 1;
}

void Server::handle(llvm::StringRef body) {
  llvm::Expected<json::Value> message = json::parse(body);
  if (!message) {
    llvm::consumeError(message.takeError());
    transport_.send(json::Object{
        {"jsonrpc", "2.0"},
        {"id", nullptr},
        {"error", json::Object{{"code", -32700}, {"message", "parse error"}}}});
    return;
  }
  const json::Object* o = message->getAsObject();
  if (!o) return;
  llvm::Optional<llvm::StringRef> method = o->getString("method");
  const json::Object* params = o->getObject("params");
  const json::Value* id = o->get("id");
  if (!method) return;  // a response to a request of ours: we send none
  if (id)
    request(*method, *id, params);
  else
    notification(*method, params);
}

void Server::request(llvm::StringRef method, const json::Value& id,
                     const json::Object* params) {
  if (shutdown_ && method != "shutdown") {
    transport_.send(json::Object{
        {"jsonrpc", "2.0"},
        {"id", id},
        {"error", json::Object{{"code", -32600}, {"message", "shut down"}}}});
    return;
  }
  bool known = true;
  json::Value result = answer(method, params, known);
  if (!known) {
    transport_.send(json::Object{
        {"jsonrpc", "2.0"},
        {"id", id},
        {"error",
         json::Object{{"code", -32601},
                      {"message", "unknown method " + method.str()}}}});
    return;
  }
  transport_.send(json::Object{
      {"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

json::Value Server::answer(llvm::StringRef method, const json::Object* params,
                           bool& known) {
  if (method == "initialize")
    return json::Object{{"capabilities", capabilities()},
                        {"serverInfo", json::Object{{"name", "rig"}}}};
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  Document* doc = document(params);
  const json::Object* position = object(params, "position");
  auto at = [&](const Analysis& a) {
    return LineTable(a.text()).offset(position);
  };
  if (method == "textDocument/hover")
    return doc ? hover(checked(*doc), at(checked(*doc))) : nullptr;
  if (method == "textDocument/definition")
    return doc ? definition(checked(*doc), at(checked(*doc))) : nullptr;
  if (method == "textDocument/references") {
    if (!doc) return json::Array{};
    const json::Object* context = object(params, "context");
    bool decl =
        context && context->getBoolean("includeDeclaration").getValueOr(false);
    return references(checked(*doc), at(checked(*doc)), decl);
  }
  if (method == "textDocument/documentSymbol")
    return doc ? json::Value(documentSymbols(checked(*doc))) : json::Array{};
  if (method == "textDocument/completion") {
    if (!doc) return json::Array{};
    const Analysis& a = checked(*doc);
    return json::Object{{"isIncomplete", false},
                        {"items", completion(a, doc->lastGood.get(), at(a))}};
  }
  if (method == "textDocument/signatureHelp")
    return doc ? signatureHelp(checked(*doc), at(checked(*doc))) : nullptr;
  if (method == "textDocument/codeAction") {
    if (!doc) return json::Array{};
    const Analysis& a = checked(*doc);
    LineTable lines(a.text());
    const json::Object* range = object(params, "range");
    uint32_t begin = lines.offset(object(range, "start"));
    uint32_t end = lines.offset(object(range, "end"));
    const json::Object* td = object(params, "textDocument");
    return codeActions(a, td->getString("uri").getValueOr(""), begin, end);
  }
  if (method == "textDocument/formatting") {
    if (!doc) return nullptr;
    format::Result r = format::formatText(doc->path, doc->text);
    if (r.outcome != format::Outcome::Formatted || r.text == doc->text)
      return json::Array{};
    LineTable lines(doc->text);
    return json::Array{json::Object{
        {"range", lines.range(0, static_cast<uint32_t>(doc->text.size()))},
        {"newText", r.text}}};
  }
  known = false;
  return nullptr;
}

void Server::notification(llvm::StringRef method, const json::Object* params) {
  if (method == "exit") {
    exit_ = true;
    return;
  }
  const json::Object* td = object(params, "textDocument");
  std::string uri = td ? td->getString("uri").getValueOr("").str() : "";
  if (method == "textDocument/didOpen" && td) {
    Document& doc = docs_[uri];
    doc.path = uriToPath(uri);
    if (doc.path.empty()) doc.path = uri;
    llvm::SmallString<256> real;
    if (!llvm::sys::fs::real_path(doc.path, real)) doc.path = std::string(real);
    doc.text = td->getString("text").getValueOr("").str();
    doc.version = td->getInteger("version").getValueOr(0);
    doc.analysis.reset();
    doc.due.reset();
    publish(uri, doc);
    return;
  }
  if (method == "textDocument/didChange" && td) {
    auto it = docs_.find(uri);
    const json::Array* changes = params->getArray("contentChanges");
    if (it == docs_.end() || !changes) return;
    Document& doc = it->second;
    for (const json::Value& change : *changes) {
      const json::Object* c = change.getAsObject();
      if (!c) continue;
      std::string text = c->getString("text").getValueOr("").str();
      if (const json::Object* range = c->getObject("range")) {
        LineTable lines(doc.text);
        uint32_t begin = lines.offset(range->getObject("start"));
        uint32_t end = std::max(begin, lines.offset(range->getObject("end")));
        doc.text = doc.text.substr(0, begin) + text + doc.text.substr(end);
      } else {
        doc.text = std::move(text);
      }
    }
    doc.version = td->getInteger("version").getValueOr(doc.version + 1);
    doc.analysis.reset();
    // The first change after a pause is checked at once (a keystroke gets
    // its diagnostics now); changes that follow it closely wait, so that a
    // burst makes one check at its end.
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        2 * doc.lastCheck);
    wait = std::clamp(wait, std::chrono::milliseconds(options_.minDebounceMs),
                      std::chrono::milliseconds(options_.maxDebounceMs));
    Clock::time_point now = Clock::now();
    bool burst = doc.lastChange && now - *doc.lastChange < wait + doc.lastCheck;
    doc.lastChange = now;
    doc.due = burst ? now + wait : now;
    return;
  }
  if (method == "textDocument/didSave" && td) {
    auto it = docs_.find(uri);
    if (it == docs_.end()) return;
    if (llvm::Optional<llvm::StringRef> text = params->getString("text")) {
      it->second.text = text->str();
      it->second.analysis.reset();
    }
    it->second.due.reset();
    publish(uri, it->second);
    recheckImporters(it->second.path);
    return;
  }
  if (method == "textDocument/didClose" && td) {
    transport_.send(json::Object{
        {"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params",
         json::Object{{"uri", uri}, {"diagnostics", json::Array{}}}}});
    auto it = docs_.find(uri);
    if (it == docs_.end()) return;
    std::string path = it->second.path;
    docs_.erase(it);
    recheckImporters(path);  // they read the file on disk again
  }
}

Server::Document* Server::document(const json::Object* params) {
  const json::Object* td = object(params, "textDocument");
  if (!td) return nullptr;
  llvm::Optional<llvm::StringRef> uri = td->getString("uri");
  if (!uri) return nullptr;
  auto it = docs_.find(uri->str());
  return it == docs_.end() ? nullptr : &it->second;
}

const Analysis& Server::checked(Document& doc) {
  if (!doc.analysis) {
    Clock::time_point start = Clock::now();
    // Imports of the other open documents read their buffers.
    AnalysisOptions options = options_.analysis;
    for (const auto& [uri, other] : docs_)
      if (&other != &doc) options.overlays[other.path] = other.text;
    doc.analysis = analyze(doc.path, doc.text, options);
    doc.lastCheck = Clock::now() - start;
    bool parsed = std::none_of(
        doc.analysis->diagnostics.begin(), doc.analysis->diagnostics.end(),
        [](const diag::Diagnostic& d) {
          return diag::info(d.kind).code.startswith("E01");
        });
    if (parsed) doc.lastGood = doc.analysis;
  }
  return *doc.analysis;
}

void Server::publish(const std::string& uri, Document& doc) {
  const Analysis& a = checked(doc);
  transport_.send(json::Object{
      {"jsonrpc", "2.0"},
      {"method", "textDocument/publishDiagnostics"},
      {"params", json::Object{{"uri", uri},
                              {"version", doc.version},
                              {"diagnostics", diagnosticsOf(a, uri)}}}});
}

// An edited (or saved, or closed) module changes what its importers see:
// check them again.
void Server::recheckImporters(const std::string& path) {
  for (auto& [uri, doc] : docs_) {
    if (doc.path == path || !doc.analysis) continue;
    const std::vector<std::string>& imported = doc.analysis->importedPaths;
    bool imports =
        std::find(imported.begin(), imported.end(), path) != imported.end();
    if (!imports) continue;
    doc.analysis.reset();
    publish(uri, doc);
  }
}

void Server::runDueChecks() {
  Clock::time_point now = Clock::now();
  for (auto& [uri, doc] : docs_)
    if (doc.due && *doc.due <= now) {
      doc.due.reset();
      publish(uri, doc);
      recheckImporters(doc.path);
    }
}

int Server::msUntilNextCheck() const {
  std::optional<Clock::time_point> next;
  for (const auto& [uri, doc] : docs_)
    if (doc.due && (!next || *doc.due < *next)) next = doc.due;
  if (!next) return -1;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*next -
                                                                  Clock::now())
                .count();
  return static_cast<int>(std::max<int64_t>(ms, 0));
}

}  // namespace rig::lsp
