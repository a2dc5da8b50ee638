// The trls extension: starts `trls lsp` for trial records only (*.trial.yaml,
// *.trial.yml, *.trial.json), leaving every other YAML and JSON file to its usual
// extensions. The server does all the work; this file only starts and restarts it,
// and shows a rule's documentation (`trls explain`) in a read-only tab.
// Which server: `trls.server.path` when set, else the binary bundled in a
// platform-specific .vsix (server/trls), else `trls` on PATH.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let extensionPath = '';

const selector = [{ scheme: 'file', pattern: '**/*.trial.{yaml,yml,json}' }];

function bundledServer(): string | undefined {
  const bundled = path.join(extensionPath, 'server', process.platform === 'win32' ? 'trls.exe' : 'trls');
  if (!fs.existsSync(bundled)) {
    return undefined;
  }
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(bundled, fs.constants.X_OK);
    } catch {
      // An unpacker that dropped the mode bits: make it executable again.
      try {
        fs.chmodSync(bundled, 0o755);
      } catch (e) {
        output.appendLine(`cannot make ${bundled} executable: ${String(e)}`);
      }
    }
  }
  return bundled;
}

function serverCommand(): string {
  const configured = vscode.workspace.getConfiguration('trls').get<string>('server.path', '').trim();
  if (configured !== '') {
    return configured;
  }
  return bundledServer() ?? 'trls';
}

async function start(): Promise<void> {
  const command = serverCommand();
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error ? probe.error.message : probe.stderr;
    output.appendLine(`cannot run "${command} --version": ${reason}`);
    const choice = await vscode.window.showErrorMessage(
      `trls: the language server "${command}" could not be run. Install the .vsix for your platform (it holds the ` +
        'binary), or install trls (pip install trls, or cargo install --path . in its repository), ' +
        'or set "trls.server.path" to the binary.',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'trls.server.path');
    }
    return;
  }
  output.appendLine(`starting ${command} lsp (${probe.stdout.trim()})`);
  // An executable server: leave `transport` unset (TransportKind.stdio would append a
  // second --stdio to the arguments).
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: output,
    synchronize: { configurationSection: 'trls' },
  };
  client = new LanguageClient('trls', 'trls', serverOptions, clientOptions);
  await client.start();
}

// A rule's documentation lives at `trls:explain/CODE` (each diagnostic's code links
// there); its text comes from the server (`workspace/executeCommand` `trls.explain`).
const docScheme = 'trls';

function docUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: docScheme, path: `explain/${code}` });
}

class Documentation implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = uri.path.split('/').pop() ?? '';
    if (!client) {
      return `trls is not running, so the documentation of ${code} cannot be read: run "trls: Restart Server".`;
    }
    try {
      const text: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: 'trls.explain',
        arguments: [code],
      });
      return typeof text === 'string' ? text : `no documentation of ${code}`;
    } catch (e) {
      return `cannot read the documentation of ${code}: ${String(e)}`;
    }
  }
}

// The documentation reads as markdown, however its tab was opened.
async function asMarkdown(doc: vscode.TextDocument): Promise<void> {
  if (doc.uri.scheme === docScheme && doc.languageId !== 'markdown') {
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  }
}

// The "show documentation of CODE" code action.
async function showDocumentation(code: unknown): Promise<void> {
  if (typeof code !== 'string' || code === '') {
    return;
  }
  const doc = await vscode.workspace.openTextDocument(docUri(code));
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  await asMarkdown(doc);
}

async function stop(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop().catch((e: unknown) => output.appendLine(`stopping the server: ${String(e)}`));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('trls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('trls.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('trls.showOutput', () => output.show()),
    vscode.workspace.registerTextDocumentContentProvider(docScheme, new Documentation()),
    vscode.commands.registerCommand('trls.showDocumentation', showDocumentation),
    vscode.workspace.onDidOpenTextDocument(asMarkdown),
    // A code lens's "N references" (the server's `trls.showReferences`, with LSP
    // arguments): VS Code's references peek wants its own types.
    vscode.commands.registerCommand(
      'trls.showReferences',
      async (uri: string, position: { line: number; character: number }, locations: unknown[]) => {
        const c = client;
        if (!c) return;
        const p2c = c.protocol2CodeConverter;
        await vscode.commands.executeCommand(
          'editor.action.showReferences',
          vscode.Uri.parse(uri),
          p2c.asPosition(position),
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          locations.map((l) => p2c.asLocation(l as any)),
        );
      },
    ),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('trls.server.path')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
