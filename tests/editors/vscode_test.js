// editors.vscode (tests/tools.cmake): the VS Code extension of editors/vscode
// exercised without VS Code.
//  1. Its TextMate grammar, tokenized by VS Code's own engine
//     (vscode-textmate over vscode-oniguruma, from npm: `npm ci` in this
//     folder, which scripts/setup runs): keywords, strings, triple-quoted
//     and raw strings, interpolation, comments get their scopes, and no
//     spec of the repository leaves a string or block open at its end.
//  2. package.json, extension.js and the grammar agree: one language id,
//     the grammar's scope, and the client starts `rig lsp` (extension.js is
//     run against stand-ins for the `vscode` and `vscode-languageclient`
//     modules and the server options it builds are checked).
//
//   node tests/editors/vscode_test.js SOURCE_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const source = process.argv[2];
const here = __dirname;
const failures = [];
function check(cond, what) {
  if (!cond) {
    failures.push(what);
    console.log('FAIL: ' + what);
  }
}
function die(message) {
  console.error('editors.vscode: ' + message);
  process.exit(1);
}

let textmate, oniguruma;
try {
  textmate = require(path.join(here, 'node_modules/vscode-textmate'));
  oniguruma = require(path.join(here, 'node_modules/vscode-oniguruma'));
} catch (e) {
  die('vscode-textmate or vscode-oniguruma is missing: run `npm ci` in ' + here +
      ' (scripts/setup does): ' + e.message);
}

const ext = path.join(source, 'editors/vscode');
const pkg = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
const grammarPath = path.join(ext, pkg.contributes.grammars[0].path);
const grammarJson = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));

// ---- 2. The manifest, the grammar and extension.js agree ---------------------

const language = pkg.contributes.languages[0];
check(language.id === 'rig', 'the language id is rig: ' + language.id);
check(language.extensions.includes('.rig'), 'the language claims .rig files');
check(pkg.contributes.grammars[0].language === language.id,
  'the grammar is for the language id');
check(pkg.contributes.grammars[0].scopeName === grammarJson.scopeName,
  'package.json names the grammar\'s scope: ' + grammarJson.scopeName);
const config = JSON.parse(fs.readFileSync(path.join(ext, language.configuration), 'utf8'));
check(config.comments && config.comments.lineComment === '#', 'line comments are #');
// An empty activationEvents relies on VS Code 1.74+ activating on the
// contributed language.
const engine = (pkg.engines.vscode.match(/(\d+)\.(\d+)/) || []).slice(1).map(Number);
check(engine[0] > 1 || (engine[0] === 1 && engine[1] >= 74),
  'engines.vscode >= 1.74 (implicit onLanguage activation): ' + pkg.engines.vscode);
check(fs.existsSync(path.join(ext, pkg.main)), 'main exists: ' + pkg.main);
check(pkg.dependencies && pkg.dependencies['vscode-languageclient'],
  'vscode-languageclient is a dependency');

function activate(configuredPath) {
  const made = [];
  const stubs = {
    vscode: {
      workspace: {
        getConfiguration: (section) => ({
          get: (key) => (section === 'rig' && key === 'path' ? configuredPath : undefined),
        }),
      },
    },
    'vscode-languageclient/node': {
      LanguageClient: class {
        constructor(id, name, serverOptions, clientOptions) {
          made.push({ id, name, serverOptions, clientOptions });
        }
        start() { return Promise.resolve(); }
        stop() { return Promise.resolve(); }
      },
    },
  };
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request in stubs) return stubs[request];
    return load.apply(this, arguments);
  };
  try {
    const main = require.resolve(path.join(ext, pkg.main));
    delete require.cache[main];
    const extension = require(main);
    const context = { subscriptions: [] };
    extension.activate(context);
    check(context.subscriptions.length > 0, 'activate registers the client for disposal');
    check(typeof extension.deactivate === 'function', 'extension.js exports deactivate');
  } finally {
    Module._load = load;
  }
  return made;
}
for (const [configured, want] of [[undefined, 'rig'], ['/opt/rig/bin/rig', '/opt/rig/bin/rig']]) {
  const made = activate(configured);
  check(made.length === 1, 'activate makes one language client');
  if (made.length !== 1) continue;
  const { serverOptions, clientOptions } = made[0];
  for (const mode of ['run', 'debug']) {
    const s = serverOptions[mode];
    check(s && s.command === want && JSON.stringify(s.args) === '["lsp"]',
      `the ${mode} server is \`${want} lsp\`: ` + JSON.stringify(s));
  }
  const selector = clientOptions.documentSelector || [];
  check(selector.some((d) => d.language === language.id),
    'the client serves the language id: ' + JSON.stringify(selector));
}

// ---- 1. The grammar, tokenized ----------------------------------------------

async function main() {
  const wasm = fs.readFileSync(path.join(here, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === grammarJson.scopeName
        ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const grammar = await registry.loadGrammar(grammarJson.scopeName);
  check(grammar, 'the grammar loads');
  if (!grammar) return;

  // Every line's tokens, the state carried from line to line as VS Code does.
  function tokenize(text) {
    const lines = text.split('\n');
    let state = textmate.INITIAL;
    const out = [];
    for (const line of lines) {
      const r = grammar.tokenizeLine(line, state);
      out.push({ line, tokens: r.tokens });
      state = r.ruleStack;
    }
    return out;
  }
  // The scopes at the `delta`th character of the `nth` occurrence of `needle`.
  function scopesAt(tokenized, needle, delta = 0, nth = 0) {
    let count = 0;
    for (const { line, tokens } of tokenized) {
      let at = line.indexOf(needle);
      while (at >= 0) {
        if (count++ === nth) {
          const col = at + delta;
          const t = tokens.find((k) => k.startIndex <= col && col < k.endIndex);
          return t ? t.scopes : [];
        }
        at = line.indexOf(needle, at + 1);
      }
    }
    throw new Error('no ' + needle);
  }
  function expectScope(tokenized, needle, delta, scope, what, nth = 0) {
    const scopes = scopesAt(tokenized, needle, delta, nth);
    check(scopes.some((s) => s === scope || s.startsWith(scope + '.')),
      `${what}: ${needle}+${delta} has ${scope} (got ${scopes.join(' ')})`);
  }
  function expectNoScope(tokenized, needle, delta, scope, what, nth = 0) {
    const scopes = scopesAt(tokenized, needle, delta, nth);
    check(!scopes.some((s) => s === scope || s.startsWith(scope + '.')),
      `${what}: ${needle}+${delta} has no ${scope} (got ${scopes.join(' ')})`);
  }

  // The todos example: declarations, keywords, strings, comments.
  const todos = tokenize(fs.readFileSync(path.join(source, 'examples/todos/todos.rig'), 'utf8'));
  expectScope(todos, 'node server', 0, 'storage.type', 'node is a declaration keyword');
  expectScope(todos, 'node server', 5, 'entity.name.type', 'the node\'s name');
  expectScope(todos, 'test "', 0, 'keyword.declaration', 'test');
  expectScope(todos, 'test "', 6, 'string.quoted.double', 'a test name');
  expectScope(todos, 'let port', 0, 'keyword.declaration', 'let');
  expectScope(todos, 'import "std/postgresql"', 0, 'keyword.declaration', 'import');
  expectScope(todos, 'import "std/postgresql"', 8, 'string.quoted.double', 'the import path');
  expectScope(todos, 'expect ', 0, 'keyword.control', 'expect');
  expectScope(todos, '# ', 2, 'comment.line.number-sign', 'a comment');
  expectScope(todos, 'port = 3000', 7, 'constant.numeric', 'a number');
  expectScope(todos, 'wait_for_unit(', 0, 'entity.name.function', 'a called operation');
  expectScope(todos, '${port}', 2, 'meta.interpolation', 'an interpolation');
  expectScope(todos, '${port}', 6, 'punctuation.section.interpolation.end', 'an interpolation ends');

  // Triple-quoted and raw strings, escapes, and what follows them.
  const forms = tokenize([
    'let script = """',
    '  CREATE TABLE todos (title text); -- not a # comment',
    '  \\n ${table} "quoted"',
    '  """',
    'let after_triple = 1',
    'let acl = r"cgi-bin \\? b\'\\r\\n\'"  # raw: backslashes are text',
    'let win = r"C:\\dir\\" # the raw string ended at the quote',
    'let conf = r"""',
    '  refresh_pattern -i (/cgi-bin/|\\?) 0 0% 0',
    '  http_port ${port}',
    '  """',
    'let after_raw = { a = "x\\"y" }  # an escaped quote stays inside',
    'let nested = "${if ok then "a" else "b"} tail"',
    'fn f() { return not true and null }',
  ].join('\n'));
  expectScope(forms, 'CREATE TABLE', 0, 'string.quoted.triple', 'triple-quoted content');
  expectNoScope(forms, '-- not a # comment', 9, 'comment', 'a # inside a triple-quoted string');
  expectScope(forms, '\\n ${table}', 0, 'constant.character.escape', 'an escape in a triple-quoted string');
  expectScope(forms, '${table}', 2, 'meta.interpolation', 'interpolation in a triple-quoted string');
  expectScope(forms, '"quoted"', 1, 'string.quoted.triple', 'a quote inside a triple-quoted string');
  expectScope(forms, 'let after_triple', 0, 'keyword.declaration', 'code after a triple-quoted string');
  expectNoScope(forms, 'let after_triple', 0, 'string', 'the triple-quoted string ended');
  expectScope(forms, 'r"cgi-bin', 3, 'string.quoted.double.raw', 'a raw string');
  expectNoScope(forms, '\\?', 0, 'constant.character.escape', 'a backslash in a raw string is text');
  expectNoScope(forms, '\\r\\n', 0, 'constant.character.escape', 'no escapes in a raw string');
  expectScope(forms, '# raw: backslashes', 0, 'comment.line', 'a comment after a raw string');
  expectScope(forms, '# the raw string ended', 0, 'comment.line', 'a raw string ends at its quote, backslash or not');
  expectScope(forms, 'refresh_pattern', 0, 'string.quoted.triple.raw', 'a raw triple-quoted string');
  expectNoScope(forms, '|\\?)', 1, 'constant.character.escape', 'no escapes in a raw triple-quoted string');
  expectScope(forms, 'http_port ${port}', 12, 'meta.interpolation', 'interpolation in a raw triple-quoted string');
  expectScope(forms, 'let after_raw', 0, 'keyword.declaration', 'code after a raw triple-quoted string');
  expectScope(forms, 'x\\"y', 1, 'constant.character.escape', 'an escaped quote');
  expectScope(forms, 'x\\"y', 3, 'string.quoted.double', 'the string goes on after an escaped quote');
  expectScope(forms, '# an escaped quote stays', 0, 'comment.line', 'a comment after the string');
  expectScope(forms, '"a" else', 1, 'string.quoted.double', 'a string nested in an interpolation');
  expectScope(forms, 'else "b"', 0, 'keyword.control', 'code between nested strings');
  expectScope(forms, ' tail"', 1, 'string.quoted.double', 'the outer string goes on after the interpolation');
  expectScope(forms, 'fn f', 0, 'storage.type', 'fn');
  expectScope(forms, 'not true', 0, 'keyword.operator.word', 'not');
  expectScope(forms, 'true and', 0, 'constant.language', 'true');
  expectScope(forms, 'and null', 0, 'keyword.operator.word', 'and');
  expectScope(forms, 'null }', 0, 'constant.language', 'null');

  // Every spec in the repository ends outside strings and interpolations:
  // a line appended after it is code.
  const dirs = ['examples', 'stdlib', 'tests/e2e', 'tests/report', 'bench', 'tests/testdata/parse'];
  let specs = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(p);
      } else if (entry.name.endsWith('.rig')) {
        const text = fs.readFileSync(p, 'utf8');
        // Files that are syntax errors on purpose may leave a string open.
        if (/unterminated|unclosed|error/.test(entry.name)) continue;
        specs++;
        const t = tokenize(text + '\nlet zz_end = 1');
        expectScope(t, 'let zz_end', 0, 'keyword.declaration',
          'code after ' + path.relative(source, p));
      }
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(source, d))) walk(path.join(source, d));
  check(specs >= 10, 'specs tokenized: ' + specs);
  console.log(`tokenized ${specs} specs`);
}

main().then(() => {
  if (failures.length) {
    console.log(failures.length + ' failure(s)');
    process.exit(1);
  }
  console.log('ok');
}, (e) => die(e.stack || String(e)));
