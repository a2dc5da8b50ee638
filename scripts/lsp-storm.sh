#!/bin/sh
# The language server's random message storm at full size (issue 8): 10,000 random
# valid and malformed frames and incremental edits; at the end the server's copy of
# every document must equal the client's. Usage: scripts/lsp-storm.sh [MESSAGES] [SEED]
set -eu
cd "$(dirname "$0")/.."
TRLS_STORM="${1:-10000}" TRLS_STORM_SEED="${2:-1592598565}" \
    cargo test --release --test lsp storm -- --nocapture
