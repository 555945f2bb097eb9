#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host test of nfdnsctl's bash completion, and of the completion script and
# the man page against nfdnsctl's sources: every subcommand, option, setting
# and counter in the C tables must be completed and documented.  TAP on
# stdout; exit status non-zero when any test fails.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
src=$top/userspace/nfdnsctl
script=$src/nfdnsctl.bash
man=$src/nfdnsctl.8

# shellcheck disable=SC1091
. "$top/tests/lib/tap.sh"

work=$(mktemp -d /tmp/nfdnsctl-completion.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The completion as a shell without bash-completion has it.
unset -f _filedir _init_completion 2>/dev/null
# shellcheck disable=SC1090
if . "$script"; then
	tap_ok "the completion script loads"
else
	tap_fail "the completion script loads"
fi
if [[ $(complete -p nfdnsctl 2>&1) == "complete -F _nfdnsctl nfdnsctl" ]]; then
	tap_ok "it completes nfdnsctl with _nfdnsctl"
else
	tap_fail "it completes nfdnsctl with _nfdnsctl" "$(complete -p nfdnsctl 2>&1)"
fi

# comp LINE: the sorted replies of _nfdnsctl, on one line, for LINE split
# at blanks as COMP_WORDS; a LINE ending in a blank completes an empty word.
# Write KEY=VALUE as "KEY = VALUE" for the words bash makes of it when '='
# is in COMP_WORDBREAKS.
comp() {
	local line=$1
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=('')
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_nfdnsctl
	((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd ' ' -
}

# expect LINE REPLIES: the replies for LINE are REPLIES, in any order.
expect() {
	local line=$1 want got
	local -a words
	read -ra words <<<"$2"
	want=$( ((${#words[@]})) && printf '%s\n' "${words[@]}" | LC_ALL=C sort | paste -sd ' ' -)
	got=$(comp "$line" 2>&1)
	if [[ $got == "$want" ]]; then
		tap_ok "'$line' completes to '$want'"
	else
		tap_fail "'$line' completes to '$want'" "got '$got'"
	fi
}

all_types='A AAAA CNAME MX NS PTR SOA SRV TXT CAA HTTPS SVCB'

# Subcommands and global options.
expect 'nfdnsctl st' 'status stats'
expect 'nfdnsctl ' 'status stats dump lookup add del flush config save load resolver'
expect 'nfdnsctl -' '--netns --json --help --version'
expect 'nfdnsctl --j' '--json'
expect 'nfdnsctl --json con' 'config'
expect 'nfdnsctl -j l' 'load lookup'
expect 'nfdnsctl frob -' ''

# config: KEY= forms, values of switches and addrs.
expect 'nfdnsctl config max_t' 'max_ttl='
expect 'nfdnsctl config max_' 'max_bytes= max_entries= max_pending= max_ttl= max_waiters='
expect 'nfdnsctl resolver ' 'status stats flush flush-infra flush-negative dump-infra requests reload log-level'
expect 'nfdnsctl resolver flush-' 'flush-infra flush-negative'
expect 'nfdnsctl resolver log-level d' 'debug'
expect 'nfdnsctl resolver --so' '--socket'
expect 'nfdnsctl config --json n' 'neg_max_ttl= norecurse_pass='
expect 'nfdnsctl config max_ttl=300 min' 'min_ttl='
expect 'nfdnsctl config max_ttl=300 max_t' ''
expect 'nfdnsctl config max_ttl = 300 max_t' ''
expect 'nfdnsctl config enabled=' 'enabled=yes enabled=no'
expect 'nfdnsctl config enabled=y' 'enabled=yes'
expect 'nfdnsctl config enabled =' 'yes no'
expect 'nfdnsctl config norecurse_pass = n' 'no'
expect 'nfdnsctl config addrs=' 'addrs=any'
expect 'nfdnsctl config addrs =' 'any'
expect 'nfdnsctl config clients=' 'clients=any clients=none'
expect 'nfdnsctl config ifaces =' 'any'
expect 'nfdnsctl config rrl_p' 'rrl_prefix4= rrl_prefix6='
expect 'nfdnsctl config max_ttl=3' ''
expect 'nfdnsctl config max_ttl = 3' ''
expect 'nfdnsctl config -' '--json --help'

# stats and status.
expect 'nfdnsctl stats --p' '--prometheus'
expect 'nfdnsctl stats ' '--json --prometheus --watch --count --help'
expect 'nfdnsctl stats --watch ' ''
expect 'nfdnsctl stats --watch 5 --c' '--count'
expect 'nfdnsctl stats --watch 5 --count ' ''
expect 'nfdnsctl stats --watch = ' ''
expect 'nfdnsctl status ' '--json --help'
expect 'nfdnsctl status --' '--json --help'

# Record types for lookup, add and del.
expect 'nfdnsctl lookup x AA' 'AAAA'
expect 'nfdnsctl lookup x aa' 'AAAA'
expect 'nfdnsctl lookup x ' "$all_types"
expect 'nfdnsctl lookup --do x S' 'SOA SRV SVCB'
expect 'nfdnsctl lookup x A ' ''
expect 'nfdnsctl lookup ' ''
expect 'nfdnsctl lookup -' '--json --do --help'
expect 'nfdnsctl add x C' 'CAA CNAME'
expect 'nfdnsctl add --ttl 60 x T' 'TXT'
expect 'nfdnsctl add x T --ttl 60 ' ''
expect 'nfdnsctl add x A 192' ''
expect 'nfdnsctl add x TXT -- -' ''
expect 'nfdnsctl add -' '--ttl --help'
expect 'nfdnsctl del x M' 'MX'
expect 'nfdnsctl del x --s' '--subtree'
expect 'nfdnsctl del --subtree x H' 'HTTPS'
expect 'nfdnsctl flush -' '--subtree --help'
expect 'nfdnsctl dump -' '--json --help'
expect 'nfdnsctl dump ' ''

# File names for save and load.
mkdir "$work/files"
touch "$work/files/cache.save" "$work/files/cache.txt" "$work/files/other"
cd "$work/files" || exit 1
expect 'nfdnsctl save cache.' 'cache.save cache.txt'
expect 'nfdnsctl load ' 'cache.save cache.txt other'
expect 'nfdnsctl --json load o' 'other'
expect 'nfdnsctl save x ' ''
expect 'nfdnsctl save -' '--help'

# Network namespaces from `ip netns list`, or namespace files.
mkdir "$work/bin"
cat >"$work/bin/ip" <<'EOF'
#!/bin/sh
[ "$*" = "netns list" ] || exit 1
printf 'blue (id: 0)\nred\nblack (id: 2)\n'
EOF
chmod +x "$work/bin/ip"
PATH=$work/bin:$PATH
expect 'nfdnsctl --netns ' 'black blue red'
expect 'nfdnsctl --netns b' 'black blue'
expect 'nfdnsctl -n r' 'red'
expect 'nfdnsctl --netns=bl' '--netns=black --netns=blue'
expect 'nfdnsctl --netns = bl' 'black blue'
expect 'nfdnsctl --netns ./c' './cache.save ./cache.txt'
expect 'nfdnsctl --netns blue st' 'status stats'
expect 'nfdnsctl --netns=blue st' 'status stats'
expect 'nfdnsctl --netns = blue st' 'status stats'
expect 'nfdnsctl -n red --json ' 'status stats dump lookup add del flush config save load resolver'
cd "$top" || exit 1

# With bash-completion loaded, its _filedir completes file names.
# shellcheck disable=SC2317
_filedir() { COMPREPLY+=("filedir:$cur"); }
expect 'nfdnsctl load ca' 'filedir:ca'
unset -f _filedir

# The C sources, and what completion and the man page make of them.

# table FILE START: the lines of the C table that begins with line START.
table() {
	sed -n "/^$2/,/^};/p" "$1"
}

# The man page, and its text without font changes and with plain hyphens
# (grep -q reads from variables: under pipefail, a writer it leaves early
# would fail the pipeline).
man_src=$(cat "$man")
man_text=$(sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' "$man")
man_table=$(sed -n '/^\.TS$/,/^\.TE$/p' "$man")
man_settings=$(sed -n '/^\.SH SETTINGS$/,/^\.SH /p' <<<"$man_text")

commands=$(table "$src/main.c" 'static const struct nfdnsctl_cmd commands\[\] = {' |
	sed -n 's/^[[:space:]]*{ "\([a-z_]*\)",.*/\1/p')
keys=$(table "$src/config.c" 'static const struct setting settings\[\] = {' |
	sed -n 's/^[[:space:]]*{ "\([a-z0-9_]*\)", NFDNS_CONF_A_.*/\1/p')
counters=$(table "$top/userspace/common/kernel_stats.h" 'static const struct nfdns_stat_desc nfdns_stat_descs\[\] = {' |
	tr '\n\t' '  ' |
	grep -o '{ "[a-z_]*", "[a-z_]*", *NFDNS_STAT_A_[A-Z_]*, *\(true\|false\)' |
	sed 's/{ "\([a-z_]*\)", "\([a-z_]*\)", *NFDNS_STAT_A_[A-Z_]*, *\(true\|false\)/\1 \2 \3/')
options=$(sed -n 's/.*{ "\([a-z-]*\)", \(no\|required\)_argument,.*/\1/p' "$src"/*.c |
	LC_ALL=C sort -u)

for what in commands keys counters options; do
	n=$(printf '%s' "${!what}" | grep -c .)
	if [ "$n" -ge 2 ]; then
		tap_ok "the $what parse out of the sources ($n)"
	else
		tap_fail "the $what parse out of the sources ($n)"
	fi
done

# Every subcommand: completed, and a section of the man page.
completed=" $(comp 'nfdnsctl ') "
for c in $commands; do
	if [[ $completed == *" $c "* ]]; then
		tap_ok "subcommand $c is completed"
	else
		tap_fail "subcommand $c is completed" "completion offers:$completed"
	fi
	if grep -qx "\.SS $c" <<<"$man_src"; then
		tap_ok "subcommand $c has its section in nfdnsctl.8"
	else
		tap_fail "subcommand $c has its section in nfdnsctl.8"
	fi
done
for c in $completed; do
	if grep -qx "$c" <<<"$commands"; then
		tap_ok "completed subcommand $c exists"
	else
		tap_fail "completed subcommand $c exists" "main.c has: ${commands//$'\n'/ }"
	fi
done

# The synopsis of each subcommand in the man page is its usage in main.c.
synopsis=$(sed -n '/^Commands:$/,/^\.fi$/p' <<<"$man_text")
while IFS= read -r line; do
	name=$(sed -n 's/^[[:space:]]*{ "\([a-z_]*\)", "\([^"]*\)",.*/\1/p' <<<"$line")
	args=$(sed -n 's/^[[:space:]]*{ "\([a-z_]*\)", "\([^"]*\)",.*/\2/p' <<<"$line")
	[ -n "$name" ] || continue
	if grep -qxF "$name $args" <<<"$synopsis"; then
		tap_ok "nfdnsctl.8 gives the usage of $name: $args"
	else
		tap_fail "nfdnsctl.8 gives the usage of $name: $args" "$synopsis"
	fi
done < <(table "$src/main.c" 'static const struct nfdnsctl_cmd commands\[\] = {')

# Every setting: completed as KEY=, and in the table and the list of the
# SETTINGS section.
completed=" $(comp 'nfdnsctl config ') "
for k in $keys; do
	if [[ $completed == *" $k= "* ]]; then
		tap_ok "setting $k is completed as $k="
	else
		tap_fail "setting $k is completed as $k=" "completion offers:$completed"
	fi
	if grep -q "^$k	" <<<"$man_table" &&
		grep -Eq "^\.(B|BR) ($k|$k \".*|.* $k)$" <<<"$man_settings"; then
		tap_ok "setting $k is documented in nfdnsctl.8"
	else
		tap_fail "setting $k is documented in nfdnsctl.8"
	fi
done
for k in $completed; do
	if grep -qx "${k%=}" <<<"$keys"; then
		tap_ok "completed setting $k exists"
	else
		tap_fail "completed setting $k exists" "config.c has: ${keys//$'\n'/ }"
	fi
done

# Every counter: its name, metric and type in the COUNTERS section.
while read -r name metric gauge; do
	type=counter
	[ "$gauge" = true ] && type=gauge
	if grep -qxF ".BR $name \" (\" $metric \", $type)\"" <<<"$man_src"; then
		tap_ok "counter $name ($metric, $type) is documented in nfdnsctl.8"
	else
		tap_fail "counter $name ($metric, $type) is documented in nfdnsctl.8"
	fi
done <<<"$counters"

# Every long option: completed somewhere, and in the man page.
completed=" $(for c in '' $commands; do comp "nfdnsctl $c -"; echo; done | tr '\n' ' ') "
for o in $options; do
	if [[ $completed == *" --$o "* ]]; then
		tap_ok "option --$o is completed"
	else
		tap_fail "option --$o is completed" "completion offers:$completed"
	fi
	if grep -q -- "--$o\b" <<<"$man_text"; then
		tap_ok "option --$o is in nfdnsctl.8"
	else
		tap_fail "option --$o is in nfdnsctl.8"
	fi
done

# The man page renders without a warning.
if command -v groff >/dev/null; then
	out=$(groff -t -man -Tutf8 -ww -z "$man" 2>&1)
	if [ -z "$out" ]; then
		tap_ok "nfdnsctl.8 renders without a warning"
	else
		tap_fail "nfdnsctl.8 renders without a warning" "$out"
	fi
else
	tap_ok "nfdnsctl.8 renders without a warning # SKIP no groff"
fi

tap_done
