#!/bin/bash
# collect.sh NAME LEVEL...: tail28's collect.sh (nice30's runs are run.sh runs too), copying into this folder.
DEST=$(dirname "$0") exec "$(dirname "$0")/../r28-tail28/collect.sh" "$@"
