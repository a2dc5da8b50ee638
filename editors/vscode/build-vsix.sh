#!/usr/bin/env bash
# Build the VS Code extension from a clean clone: bash editors/vscode/build-vsix.sh
# Produces editors/vscode/trls.vsix (install it with `code --install-extension`).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run package
echo "built $(pwd)/trls.vsix"
