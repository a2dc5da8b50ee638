#!/usr/bin/env bash
# Build the VS Code extension for one platform, with the trls binary inside:
#   bash editors/vscode/build-vsix.sh [TARGET]
# TARGET is a VS Code platform (linux-x64, linux-arm64, alpine-x64, darwin-x64,
# darwin-arm64, win32-x64; default: this machine's). The binary is
# target/release/trls for this machine's platform, else target/<rust triple>/release/trls
# (built with `cargo build --release --locked [--target <triple>]`, which does nothing
# when it is up to date), or the file named by TRLS_BINARY.
# Produces editors/vscode/trls-TARGET.vsix (install it with `code --install-extension`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux; if ldd --version 2>&1 | grep -qi musl; then os=alpine; fi ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) os=win32 ;;
    *) echo "unknown OS $(uname -s)" >&2; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "unknown architecture $(uname -m)" >&2; exit 2 ;;
  esac
  echo "$os-$arch"
}

target="${1:-$(host_target)}"
case "$target" in
  linux-x64) triple=x86_64-unknown-linux-gnu ;;
  linux-arm64) triple=aarch64-unknown-linux-gnu ;;
  alpine-x64) triple=x86_64-unknown-linux-musl ;;
  darwin-x64) triple=x86_64-apple-darwin ;;
  darwin-arm64) triple=aarch64-apple-darwin ;;
  win32-x64) triple=x86_64-pc-windows-msvc ;;
  *) echo "unsupported target '$target' (linux-x64, linux-arm64, alpine-x64, darwin-x64, darwin-arm64, win32-x64)" >&2; exit 2 ;;
esac
exe=trls
[ "${target%%-*}" = win32 ] && exe=trls.exe

if [ -n "${TRLS_BINARY:-}" ]; then
  binary="$TRLS_BINARY"
elif [ "$target" = "$(host_target)" ]; then
  (cd "$root" && cargo build --release --locked --bin trls)
  binary="$root/target/release/$exe"
else
  (cd "$root" && cargo build --release --locked --bin trls --target "$triple")
  binary="$root/target/$triple/release/$exe"
fi
[ -f "$binary" ] || { echo "no trls binary at $binary" >&2; exit 2; }

cd "$here"
npm ci --no-audit --no-fund
npm run typecheck
npm run build
rm -rf server
mkdir -p server
cp "$binary" "server/$exe"
chmod 755 "server/$exe"
out="trls-$target.vsix"
npx vsce package --no-dependencies --allow-missing-repository --target "$target" -o "$out"
rm -rf server
echo "built $here/$out ($target, $(du -h "$out" | cut -f1))"
