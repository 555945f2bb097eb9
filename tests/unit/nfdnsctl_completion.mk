# nfdnsctl's bash completion and man page, checked against its sources
# (included by tests/unit/Makefile).  A script: nothing to build or clean.
UNIT_SCRIPTS += nfdnsctl_completion_test.sh
