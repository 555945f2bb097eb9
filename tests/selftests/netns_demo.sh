#!/bin/bash
# vm-kernels: 6.12.*-amd64
# End to end: the steps of `make demo` (scripts/demo-guest.sh), each one
# asserted in TAP instead of shown: a small internet of NSD servers in
# their own namespaces, a miss resolved by nfdnsd from the root down, the
# repeat answered by the kernel alone, a CNAME into another zone on other
# servers, and nfdnsctl dump and stats.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../../scripts/demo-guest.sh" --check "${NFDNS_MODDIR:-}"
