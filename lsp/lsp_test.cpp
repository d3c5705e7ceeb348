// Unit tests of the lsp library: framing, positions, URIs, and the server
// answering every request on every prefix of the example spec.
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "llvm/Support/MemoryBuffer.h"
#include "lsp/position.h"
#include "lsp/server.h"
#include "lsp/transport.h"
#include "lsp/uri.h"
#include "runtime/plan/signatures.h"

namespace rig::lsp {
namespace {

namespace json = llvm::json;

TEST(Framer, SplitsMessagesAcrossChunks) {
  Framer f;
  std::string two =
      frame(json::Object{{"a", 1}}) + frame(json::Object{{"b", 2}});
  f.feed(two.substr(0, 10));
  EXPECT_FALSE(f.next());
  f.feed(two.substr(10));
  EXPECT_EQ(f.next(), std::optional<std::string>("{\"a\":1}"));
  EXPECT_EQ(f.next(), std::optional<std::string>("{\"b\":2}"));
  EXPECT_FALSE(f.next());
}

TEST(Framer, SkipsHeadersWithoutLength) {
  Framer f;
  f.feed("Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(f.next(), std::optional<std::string>("{}"));
  EXPECT_EQ(f.malformed(), 1u);
}

TEST(LineTable, CountsUtf16Units) {
  // "é" is 2 bytes and 1 unit; "😀" is 4 bytes and 2 units.
  std::string text = "ab\né😀x\n";
  LineTable t(text);
  json::Object p = t.position(text.find('x'));
  EXPECT_EQ(p.getInteger("line"), llvm::Optional<int64_t>(1));
  EXPECT_EQ(p.getInteger("character"), llvm::Optional<int64_t>(3));
  EXPECT_EQ(t.offset(1, 3), text.find('x'));
  EXPECT_EQ(t.offset(9, 0), text.size());  // clamped
  EXPECT_EQ(t.offset(0, 99), 2u);          // end of line 0
}

TEST(Uri, RoundTrips) {
  EXPECT_EQ(pathToUri("/a b/c.rig"), "file:///a%20b/c.rig");
  EXPECT_EQ(uriToPath("file:///a%20b/c.rig"), "/a b/c.rig");
  EXPECT_EQ(uriToPath("untitled:1"), "");
}

// The server over two pipes; replies are read back as JSON.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(pipe(toServer_), 0);
    ASSERT_EQ(pipe(fromServer_), 0);
    transport_ = std::make_unique<Transport>(toServer_[0], fromServer_[1]);
    ServerOptions options;
    options.analysis.stdlibDir = RIG_SOURCE_DIR "/stdlib";
    server_ = std::make_unique<Server>(*transport_, options);
    reader_ = std::make_unique<Transport>(fromServer_[0], -1);
  }
  void TearDown() override {
    for (int fd : {toServer_[0], toServer_[1], fromServer_[0], fromServer_[1]})
      close(fd);
  }
  // Handles one message and returns what the server sent (in order).
  std::vector<json::Value> send(json::Object message) {
    message["jsonrpc"] = "2.0";
    std::string body;
    llvm::raw_string_ostream os(body);
    os << json::Value(std::move(message));
    os.flush();
    server_->handle(body);
    std::vector<json::Value> out;
    std::string reply;
    while (reader_->read(reply, 0) == Transport::Read::Message) {
      llvm::Expected<json::Value> v = json::parse(reply);
      EXPECT_TRUE(bool(v));
      if (v) out.push_back(std::move(*v));
    }
    return out;
  }
  json::Value request(llvm::StringRef method, json::Object params) {
    auto replies = send(json::Object{
        {"id", ++id_}, {"method", method}, {"params", std::move(params)}});
    for (json::Value& v : replies)
      if (v.getAsObject()->get("id")) return std::move(v);
    ADD_FAILURE() << "no reply to " << method.str();
    return nullptr;
  }

  int toServer_[2], fromServer_[2];
  int64_t id_ = 0;
  std::unique_ptr<Transport> transport_, reader_;
  std::unique_ptr<Server> server_;
};

json::Object doc(llvm::StringRef uri) { return json::Object{{"uri", uri}}; }
json::Object pos(int64_t line, int64_t character) {
  return json::Object{{"line", line}, {"character", character}};
}

TEST_F(ServerTest, EveryRequestAnswersOnEveryPrefixOfTheExample) {
  auto buffer =
      llvm::MemoryBuffer::getFile(RIG_SOURCE_DIR "/examples/todos/todos.rig");
  ASSERT_TRUE(bool(buffer));
  std::string text = (*buffer)->getBuffer().str();
  std::string uri = "file://" RIG_SOURCE_DIR "/examples/todos/todos.rig";
  request("initialize", json::Object{});
  send(json::Object{{"method", "textDocument/didOpen"},
                    {"params", json::Object{{"textDocument",
                                             json::Object{{"uri", uri},
                                                          {"text", ""},
                                                          {"version", 0}}}}}});
  for (size_t n = 0; n <= text.size(); ++n) {
    std::string prefix = text.substr(0, n);
    send(json::Object{
        {"method", "textDocument/didChange"},
        {"params",
         json::Object{{"textDocument",
                       json::Object{{"uri", uri}, {"version", int64_t(n)}}},
                      {"contentChanges",
                       json::Array{json::Object{{"text", prefix}}}}}}});
    int64_t line = std::count(prefix.begin(), prefix.end(), '\n');
    int64_t col = static_cast<int64_t>(
        prefix.size() -
        (prefix.rfind('\n') == std::string::npos ? 0 : prefix.rfind('\n') + 1));
    for (const char* method :
         {"textDocument/hover", "textDocument/definition",
          "textDocument/references", "textDocument/completion",
          "textDocument/signatureHelp", "textDocument/documentSymbol",
          "textDocument/formatting", "textDocument/codeAction"}) {
      json::Object params{
          {"textDocument", doc(uri)},
          {"position", pos(line, col)},
          {"context", json::Object{{"includeDeclaration", true}}},
          {"range",
           json::Object{{"start", pos(0, 0)}, {"end", pos(line, col)}}}};
      json::Value reply = request(method, std::move(params));
      const json::Object* o = reply.getAsObject();
      ASSERT_TRUE(o) << method << " at " << n;
      EXPECT_TRUE(o->get("result")) << method << " at " << n;
    }
  }
}

TEST_F(ServerTest, DiagnosticsHoverDefinitionCompletion) {
  std::string uri = "file:///tmp/rig-lsp-unit.rig";
  std::string text =
      "let port = 8080\n"
      "node web {\n"
      "  service \"app\" { exec = \"/bin/app\" }\n"
      "}\n"
      "test \"t\" {\n"
      "  expect port > 0\n"
      "  web.wait_for_open_prot(port)\n"
      "}\n";
  request("initialize", json::Object{});
  auto sent = send(json::Object{
      {"method", "textDocument/didOpen"},
      {"params",
       json::Object{
           {"textDocument",
            json::Object{{"uri", uri}, {"text", text}, {"version", 1}}}}}});
  ASSERT_EQ(sent.size(), 1u);
  const json::Object* params = sent[0].getAsObject()->getObject("params");
  const json::Array* diags = params->getArray("diagnostics");
  ASSERT_TRUE(diags && !diags->empty());
  std::string message = (*diags)[0].getAsObject()->getString("message")->str();
  EXPECT_NE(message.find("wait_for_open_port"), std::string::npos) << message;

  // The did-you-mean becomes a code action that renames the call.
  json::Value actions = request(
      "textDocument/codeAction",
      json::Object{
          {"textDocument", doc(uri)},
          {"range", json::Object{{"start", pos(6, 0)}, {"end", pos(6, 30)}}}});
  std::string dumped;
  llvm::raw_string_ostream os(dumped);
  os << actions;
  os.flush();
  EXPECT_NE(dumped.find("\"newText\":\"wait_for_open_port\""),
            std::string::npos)
      << dumped;

  // `port` in `expect port > 0`: hover shows the constant, definition is line 0.
  json::Value h = request(
      "textDocument/hover",
      json::Object{{"textDocument", doc(uri)}, {"position", pos(5, 10)}});
  std::string hoverText = h.getAsObject()
                              ->getObject("result")
                              ->getObject("contents")
                              ->getString("value")
                              ->str();
  EXPECT_NE(hoverText.find("let port = 8080"), std::string::npos) << hoverText;
  json::Value d = request(
      "textDocument/definition",
      json::Object{{"textDocument", doc(uri)}, {"position", pos(5, 10)}});
  const json::Object* loc = d.getAsObject()->getObject("result");
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc->getObject("range")->getObject("start")->getInteger("line"),
            llvm::Optional<int64_t>(0));

  // After `web.`: machine operations.
  json::Value c = request(
      "textDocument/completion",
      json::Object{{"textDocument", doc(uri)}, {"position", pos(6, 6)}});
  std::string items;
  llvm::raw_string_ostream is(items);
  is << c;
  is.flush();
  EXPECT_NE(items.find("\"label\":\"succeed\""), std::string::npos);
  EXPECT_EQ(items.find("\"label\":\"let\""), std::string::npos);
}

// Hover and signature help on builtins, operations and node items show the
// tables' own text (runtime/plan/*.def, compiler/sema/node_items.def).
TEST_F(ServerTest, HoverAndSignatureHelpComeFromTheTables) {
  std::string uri = "file:///tmp/rig-lsp-tables.rig";
  std::string text = R"(node web {
  memory = 1GiB
  service "app" { exec = "/bin/app" }
}
test "t" {
  expect len(web.succeed("x")) > 0
}
)";
  request("initialize", json::Object{});
  send(json::Object{{"method", "textDocument/didOpen"},
                    {"params", json::Object{{"textDocument",
                                             json::Object{{"uri", uri},
                                                          {"text", text},
                                                          {"version", 1}}}}}});
  auto hoverAt = [&](int64_t line, int64_t col) {
    json::Value h = request(
        "textDocument/hover",
        json::Object{{"textDocument", doc(uri)}, {"position", pos(line, col)}});
    const json::Object* result = h.getAsObject()->getObject("result");
    return result ? result->getObject("contents")->getString("value")->str()
                  : std::string();
  };
  const plan::Signature* len = plan::findBuiltin("len");
  const plan::Signature* succeed = plan::findOperation("succeed");
  ASSERT_TRUE(len && succeed);
  std::string h = hoverAt(5, 10);
  EXPECT_NE(h.find(len->display()), std::string::npos) << h;
  EXPECT_NE(h.find(len->documentation()), std::string::npos) << h;
  h = hoverAt(5, 19);
  EXPECT_NE(h.find(succeed->display()), std::string::npos) << h;
  EXPECT_NE(h.find(succeed->documentation()), std::string::npos) << h;
  h = hoverAt(1, 3);
  EXPECT_NE(h.find(sema::findNodeItem("", "memory")->doc), std::string::npos)
      << h;
  h = hoverAt(2, 19);
  EXPECT_NE(h.find(sema::findNodeItem("service", "exec")->doc),
            std::string::npos)
      << h;

  json::Value sh = request(
      "textDocument/signatureHelp",
      json::Object{{"textDocument", doc(uri)}, {"position", pos(5, 25)}});
  const json::Object* help = sh.getAsObject()->getObject("result");
  ASSERT_TRUE(help);
  const json::Object* sig = (*help->getArray("signatures"))[0].getAsObject();
  EXPECT_EQ(sig->getString("label")->str(), succeed->display());
  EXPECT_EQ(help->getInteger("activeParameter"), llvm::Optional<int64_t>(0));
}

}  // namespace
}  // namespace rig::lsp
