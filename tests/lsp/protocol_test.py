#!/usr/bin/env python3
"""Protocol-level tests of `rig lsp`: JSON-RPC over a pipe, as an editor
speaks it. Usage: protocol_test.py RIG SOURCE_DIR"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lspclient import Client  # noqa: E402

rig, source = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


work = tempfile.mkdtemp(prefix="rig-lsp-test-")
try:
    lib = os.path.join(work, "lib.rig")
    spec = os.path.join(work, "suite.rig")
    with open(lib, "w") as f:
        f.write('# Says hello.\nfn greet(m) {\n  m.succeed("echo hi")\n}\n')
    text = open(os.path.join(source, "examples/todos/todos.rig")).read()
    text = 'import "./lib.rig" as lib\n' + text + \
        'test "greets" {\n  lib.greet(client)\n  expect true\n}\n'
    with open(spec, "w") as f:
        f.write(text)
    shutil.copy(os.path.join(source, "examples/todos/todo_api.py"), work)
    uri, lib_uri = "file://" + spec, "file://" + lib
    env = dict(os.environ, RIG_STDLIB=os.path.join(source, "stdlib"))
    c = Client(rig, env)

    init = c.request("initialize", {"processId": None, "rootUri": "file://" + work,
                                    "capabilities": {}})
    caps = init["capabilities"]
    for cap in ["hoverProvider", "definitionProvider", "referencesProvider",
                "completionProvider", "documentSymbolProvider",
                "documentFormattingProvider", "codeActionProvider",
                "signatureHelpProvider"]:
        check(cap in caps, "initialize announces " + cap)
    c.notify("initialized", {})

    # didOpen: diagnostics at once; the example is clean.
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "rig", "version": 1, "text": text}})
    d = c.wait_diagnostics(uri)
    check(d["diagnostics"] == [], "the example has no diagnostics: %s" % d["diagnostics"])

    lines = text.split("\n")

    def pos(needle, nth=0, delta=0):
        count = 0
        for i, line in enumerate(lines):
            at = line.find(needle)
            while at >= 0:
                if count == nth:
                    return {"line": i, "character": at + delta}
                count += 1
                at = line.find(needle, at + 1)
        raise AssertionError("no " + needle)

    doc = {"uri": uri}
    # Hover on `port` used in the test: the constant's declaration and value.
    h = c.request("textDocument/hover", {"textDocument": doc,
                                         "position": pos("wait_for_open_port(port)", 0, 20)})
    check(h and "let port = 3000" in h["contents"]["value"], "hover on port: %s" % h)
    # Hover on `use postgresql`: the module's parameters with their comments.
    h = c.request("textDocument/hover", {"textDocument": doc, "position": pos("use postgresql", 0, 6)})
    check(h and "param initial_script" in h["contents"]["value"], "hover on use: %s" % h)
    # Builtins and machine operations: the signature table's text
    # (runtime/plan/*.def, the one docs/language.md is generated from).
    docs = open(os.path.join(source, "docs/language.md")).read()

    def table_doc(display):
        at = docs.index("- `%s`<br>\n" % display)
        return " ".join(docs[at:].split("\n")[1].split())

    def hover_text(needle, delta):
        h = c.request("textDocument/hover", {"textDocument": doc, "position": pos(needle, 0, delta)})
        return h["contents"]["value"] if h else ""

    value = hover_text("json(client", 1)
    check("json(s: string) -> any" in value and table_doc("json(s: string) -> any") in " ".join(value.split()),
          "hover on the builtin json: %s" % value)
    value = hover_text("server.wait_for_open_port", 9)
    check("m.wait_for_open_port(" in value and "Waits" in value, "hover on an operation: %s" % value)
    # Node attributes and blocks, and their attributes: sema's node table.
    value = hover_text("memory = 1GiB", 2)
    check("memory: size = 512MiB" in value and "Guest RAM" in value, "hover on memory: %s" % value)
    value = hover_text("requires = [", 2)
    check("requires: list of unit names" in value and "`service`" in value, "hover on a service attribute: %s" % value)
    value = hover_text("firewall {", 2)
    check("allow_tcp" in value and "nftables" in value, "hover on firewall: %s" % value)
    # A module parameter: its type (written or from the default) and default.
    value = hover_text("initial_script =", 3)
    check("param initial_script: string = " in value, "hover on a module parameter: %s" % value)

    # Signature help: builtins and operations from the table, fns from the
    # source; the parameter being typed, by position or by name.
    sh = c.request("textDocument/signatureHelp", {"textDocument": doc, "position": pos('"POST", "http', 0, 8)})
    sig = sh["signatures"][0] if sh else {}
    check(sig.get("label", "").startswith("m.http(") and sh["activeParameter"] == 1 and
          sig["parameters"][1]["label"].startswith("url"), "signature help of http: %s" % sh)
    sh = c.request("textDocument/signatureHelp", {"textDocument": doc, "position": pos("body = {", 0, 7)})
    params = [p["label"].split(":")[0].rstrip("?") for p in sh["signatures"][0]["parameters"]] if sh else []
    check(sh and params[sh["activeParameter"]] == "body", "signature help of a named argument: %s" % sh)
    sh = c.request("textDocument/signatureHelp", {"textDocument": doc, "position": pos("len(json", 0, 4)})
    check(sh and sh["signatures"][0]["label"].startswith("len(x:") and
          "length" in sh["signatures"][0]["documentation"]["value"], "signature help of len: %s" % sh)
    sh = c.request("textDocument/signatureHelp", {"textDocument": doc, "position": pos("lib.greet(client", 0, 10)})
    check(sh and sh["signatures"][0]["label"] == "fn greet(m)", "signature help of an imported fn: %s" % sh)

    # Definition: `username` in a node body -> its let; an import -> stdlib.
    loc = c.request("textDocument/definition", {"textDocument": doc,
                                                "position": pos("= username", 0, 4)})
    check(loc and loc["uri"] == uri and loc["range"]["start"]["line"] == pos("let username")["line"],
          "definition of username: %s" % loc)
    loc = c.request("textDocument/definition", {"textDocument": doc,
                                                "position": pos('"std/postgresql"', 0, 3)})
    check(loc and loc["uri"].endswith("/stdlib/postgresql.rig"), "definition of an import: %s" % loc)
    loc = c.request("textDocument/definition", {"textDocument": doc, "position": pos("lib.greet", 0, 5)})
    check(loc and loc["uri"] == lib_uri and loc["range"]["start"]["line"] == 1,
          "definition across files: %s" % loc)

    # References of `port`: the declaration and its uses.
    refs = c.request("textDocument/references", {"textDocument": doc, "position": pos("let port", 0, 5),
                                                 "context": {"includeDeclaration": True}})
    check(len(refs) >= 4, "references of port: %d" % len(refs))

    # Completion: operations after `server.`, units in wait_for_unit("...").
    items = c.request("textDocument/completion", {"textDocument": doc,
                                                  "position": pos("server.wait_for_unit", 0, 7)})
    labels = {i["label"] for i in items["items"]}
    check({"succeed", "wait_for_unit", "wait_for_open_port"} <= labels, "ops after server.: %s" % sorted(labels)[:10])
    items = c.request("textDocument/completion", {"textDocument": doc,
                                                  "position": pos('wait_for_unit("todo-api', 0, 15)})
    labels = {i["label"] for i in items["items"]}
    check("todo-api.service" in labels and "postgresql.service" in labels, "units: %s" % sorted(labels))
    # Inside a node's blocks: that block's attributes, documented.
    items = c.request("textDocument/completion", {"textDocument": doc, "position": pos("    requires = [", 0, 4)})
    labels = {i["label"] for i in items["items"]}
    check({"exec", "environment", "wanted_by", "restart"} <= labels and "memory" not in labels,
          "service attributes: %s" % sorted(labels))
    check(all("documentation" in i for i in items["items"]), "service attributes are documented")
    items = c.request("textDocument/completion", {"textDocument": doc, "position": pos('"authenticator" { system', 0, 18)})
    labels = {i["label"] for i in items["items"]}
    check({"uid", "system", "home", "groups"} <= labels and "exec" not in labels, "user attributes: %s" % sorted(labels))
    items = c.request("textDocument/completion", {"textDocument": doc, "position": pos("{ allow_tcp", 0, 2)})
    labels = {i["label"] for i in items["items"]}
    check(labels == {"enable", "allow_tcp", "allow_udp", "allow_tcp_ranges", "allow_udp_ranges",
                     "allow_protocols", "reject", "log_refused", "extra_rules", "interface"},
          "firewall attributes: %s" % sorted(labels))
    items = c.request("textDocument/completion", {"textDocument": doc, "position": pos("  memory = 1GiB", 0, 2)})
    labels = {i["label"] for i in items["items"]}
    check({"memory", "packages", "service", "firewall", "use"} <= labels and "exec" not in labels,
          "node body: %s" % sorted(labels))
    # Inside `use postgresql { }`: the module's parameters with their types.
    items = c.request("textDocument/completion", {"textDocument": doc, "position": pos("    initial_script", 0, 4)})
    labels = {i["label"]: i for i in items["items"]}
    check({"port", "initial_script", "version", "settings"} <= set(labels) and
          labels["port"].get("detail", "").startswith("param port: int = "),
          "module parameters: %s" % sorted(labels))

    syms = c.request("textDocument/documentSymbol", {"textDocument": doc})
    names = {s["name"] for s in syms}
    check({"server", "client", "todos are served as JSON", "port"} <= names, "symbols: %s" % names)

    # didChange: a typo -> an error with a code and a did-you-mean fix.
    bad = text.replace("server.wait_for_unit", "server.wait_for_unti", 1)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": bad}]})
    d = c.wait_diagnostics(uri, 2)
    errs = [x for x in d["diagnostics"] if x["severity"] == 1]
    check(len(errs) == 1 and errs[0]["code"].startswith("E"), "the typo is one error: %s" % d["diagnostics"])
    if errs:
        actions = c.request("textDocument/codeAction", {"textDocument": doc, "range": errs[0]["range"],
                                                        "context": {"diagnostics": errs}})
        edits = [e for a in actions for e in a["edit"]["changes"][uri]]
        check(any(e["newText"] == "wait_for_unit" for e in edits), "a did-you-mean action: %s" % actions)

    # A lint (curl without --fail) is a warning with its lint name, and the
    # code action adds --fail.
    linted = text.replace("curl --fail -s http://server:${port}/${table}\"))\n  expect actual",
                          "curl -s http://server:${port}/${table}\"))\n  expect actual", 1)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": linted}]})
    d = c.wait_diagnostics(uri, 3)
    warns = [x for x in d["diagnostics"] if x.get("code") == "curl-without-fail"]
    check(len(warns) == 1 and warns[0]["severity"] == 2, "curl lint: %s" % d["diagnostics"])
    if warns:
        actions = c.request("textDocument/codeAction", {"textDocument": doc, "range": warns[0]["range"],
                                                        "context": {"diagnostics": warns}})
        edits = [e for a in actions for e in a["edit"]["changes"][uri]]
        check(any(e["newText"] == " --fail" for e in edits), "curl --fail action: %s" % actions)

    # port-not-open: the client reaches server:3000 through a closed
    # firewall; the action opens the port in the node.
    closed = text.replace("  firewall { allow_tcp = [port] }\n", "", 1)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 30},
                                        "contentChanges": [{"text": closed}]})
    d = c.wait_diagnostics(uri, 30)
    ports = [x for x in d["diagnostics"] if x.get("code") == "port-not-open"]
    check(ports, "port-not-open lint: %s" % d["diagnostics"])
    if ports:
        actions = c.request("textDocument/codeAction", {"textDocument": doc, "range": ports[0]["range"],
                                                        "context": {"diagnostics": ports}})
        edits = [e for a in actions for e in a["edit"]["changes"][uri]]
        check(any("firewall { allow_tcp = [3000] }" in e["newText"] for e in edits),
              "open-the-port action: %s" % actions)
        if edits:
            lines_ = closed.split("\n")
            e = edits[0]
            at = e["range"]["start"]
            assert e["range"]["start"] == e["range"]["end"]
            lines_[at["line"]] = lines_[at["line"]][:at["character"]] + e["newText"] + lines_[at["line"]][at["character"]:]
            c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 31},
                                                "contentChanges": [{"text": "\n".join(lines_)}]})
            d = c.wait_diagnostics(uri, 31)
            check(not [x for x in d["diagnostics"] if x.get("code") == "port-not-open"],
                  "the action opened the port: %s" % d["diagnostics"])

    # Formatting returns the canonical layout.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                        "contentChanges": [{"text": "let  x=1\n"}]})
    edits = c.request("textDocument/formatting", {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}})
    check(edits and edits[0]["newText"] == "let x = 1\n", "formatting: %s" % edits)

    # Multi-file: opening the imported lib, breaking it and saving re-checks
    # the suite that imports it.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                        "contentChanges": [{"text": text}]})
    c.wait_diagnostics(uri, 5)
    c.notify("textDocument/didOpen", {"textDocument": {"uri": lib_uri, "languageId": "rig",
                                                       "version": 1, "text": open(lib).read()}})
    c.wait_diagnostics(lib_uri)
    renamed = "fn greet_renamed(m) {\n  m.succeed(\"echo hi\")\n}\n"
    with open(lib, "w") as f:
        f.write(renamed)
    c.notify("textDocument/didSave", {"textDocument": {"uri": lib_uri}, "text": renamed})
    d = c.wait_diagnostics(uri, 5)
    check(any("greet" in x["message"] for x in d["diagnostics"]),
          "the importer is re-checked on save: %s" % d["diagnostics"])

    # An unsaved edit of the open module re-checks the suite against the
    # buffer, and undoing it clears the error.
    c.notify("textDocument/didChange", {"textDocument": {"uri": lib_uri, "version": 2},
                                        "contentChanges": [{"text": "fn greet(m) {\n  m.succeed(\"echo hi\")\n}\n"}]})
    d = c.wait_diagnostics(uri)
    check(not [x for x in d["diagnostics"] if x["severity"] == 1],
          "the importer sees the unsaved fix: %s" % d["diagnostics"])
    c.notify("textDocument/didChange", {"textDocument": {"uri": lib_uri, "version": 3},
                                        "contentChanges": [{"text": "fn greet2(m) {\n}\n"}]})
    d = c.wait_diagnostics(uri)
    check(any("greet" in x["message"] for x in d["diagnostics"]),
          "the importer is re-checked as the module is typed: %s" % d["diagnostics"])

    # An unknown request gets an error, not silence; garbage does not kill it.
    c.send({"id": 999, "method": "rig/nonsense", "params": {}})
    c.proc.stdin.write(b"Content-Length: 5\r\n\r\n{{{{{")
    c.proc.stdin.flush()
    check(c.request("textDocument/documentSymbol", {"textDocument": doc}) is not None,
          "still answering after garbage")

    code = c.close()
    check(code == 0, "exit code after shutdown/exit is 0, not %s" % code)
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("ok")
