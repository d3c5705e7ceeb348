// Starts `rig lsp` for .rig files; everything else is the server's.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('rig').get('path') || 'rig';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient('rig', 'rig', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'rig' }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
