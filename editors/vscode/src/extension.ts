// The trls extension: starts `trls lsp` for trial records only (*.trial.yaml,
// *.trial.yml, *.trial.json), leaving every other YAML and JSON file to its usual
// extensions. The server does all the work; this file only starts and restarts it.
import { spawnSync } from 'child_process';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

const selector = [{ scheme: 'file', pattern: '**/*.trial.{yaml,yml,json}' }];

function serverCommand(): string {
  const configured = vscode.workspace.getConfiguration('trls').get<string>('server.path', '');
  return configured.trim() !== '' ? configured.trim() : 'trls';
}

async function start(): Promise<void> {
  const command = serverCommand();
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error ? probe.error.message : probe.stderr;
    output.appendLine(`cannot run "${command} --version": ${reason}`);
    const choice = await vscode.window.showErrorMessage(
      `trls: the language server "${command}" was not found. Install trls (cargo install --path . in its repository) ` +
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

async function stop(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop().catch((e: unknown) => output.appendLine(`stopping the server: ${String(e)}`));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('trls');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('trls.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('trls.showOutput', () => output.show()),
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
