# bash completion for nfdnsctl(8)                          -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0
#
# Works on its own, from COMP_WORDS and COMP_CWORD; uses bash-completion's
# _filedir for file names when it is loaded.

# The subcommands, in the order of `nfdnsctl --help`.
_nfdnsctl_commands='status stats dump lookup add del flush config save load resolver'

# Subcommands of `nfdnsctl resolver` (nfdnsd's control socket).
_nfdnsctl_resolver_cmds='status stats flush flush-infra flush-negative dump-infra requests reload
	log-level'

# Settings of `nfdnsctl config`.
_nfdnsctl_config_keys='enabled max_bytes max_entries min_ttl max_ttl
	neg_max_ttl serve_stale stale_answer_ms stale_without_resolver prefetch_pct
	prefetch_adaptive pending_timeout_ms max_pending max_waiters
	norecurse_pass mark ports addrs clients ifaces rrl_rate rrl_slip
	rrl_prefix4 rrl_prefix6'

# Record types offered for lookup, add and del (any other is accepted too).
_nfdnsctl_types='A AAAA CNAME MX NS PTR SOA SRV TXT CAA HTTPS SVCB'

# The options of one subcommand.
_nfdnsctl_cmd_opts()
{
	case $1 in
	status) echo --json --help ;;
	stats) echo --json --prometheus --watch --count --help ;;
	dump) echo --json --help ;;
	lookup) echo --json --do --help ;;
	add) echo --ttl --help ;;
	del | flush) echo --subtree --help ;;
	config) echo --json --help ;;
	save | load) echo --help ;;
	resolver) echo --socket --json --prometheus --subtree --help ;;
	esac
}

# Does option $2 of subcommand $1 (or of nfdnsctl itself, for $1 empty)
# take a value?
_nfdnsctl_takes_value()
{
	case $1:$2 in
	:--netns | :-n | stats:--watch | stats:--count | add:--ttl | resolver:--socket) return 0 ;;
	esac
	return 1
}

# COMPREPLY: the words of $1 that begin with $2, each with $3 before it.
_nfdnsctl_reply()
{
	local w
	for w in $1; do
		[[ $w == "$2"* ]] && COMPREPLY+=("${3-}$w")
	done
}

_nfdnsctl_netns()
{
	local cur=$1 prefix=$2 name rest
	if [[ $cur == */* ]]; then
		_nfdnsctl_files "$cur" "$prefix"
		return
	fi
	while read -r name rest; do
		[[ -n $name && $name == "$cur"* ]] && COMPREPLY+=("$prefix$name")
	done < <(ip netns list 2>/dev/null)
}

_nfdnsctl_files()
{
	local cur=$1 prefix=$2 f
	if [[ -z $prefix ]] && declare -F _filedir >/dev/null; then
		_filedir
		return
	fi
	compopt -o filenames 2>/dev/null
	while IFS= read -r f; do
		COMPREPLY+=("$prefix$f")
	done < <(compgen -f -- "$cur")
}

_nfdnsctl()
{
	local -a words=()
	local cur cword i w n=0 joined=0 split=0 key='' prefix=''
	local cmd='' cmd_at=0 npos=0 opt=''
	COMPREPLY=()

	# KEY=VALUE and --opt=VALUE come split at '=' when '=' is in
	# COMP_WORDBREAKS, and bash then replaces only the part after it: join
	# the pieces up to point, and remember whether the one at point was.
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((n > 0)) && [[ $w == = ]]; then
			words[n-1]+='='
			joined=1
		elif ((joined)); then
			words[n-1]+=$w
			joined=0
		else
			words[n++]=$w
			continue
		fi
		((i == COMP_CWORD)) && split=1
	done
	cword=$((n - 1))
	cur=${words[cword]}
	if [[ $cur == *=* ]]; then
		key=${cur%%=*}
		cur=${cur#*=}
		((split)) || prefix="$key="
	fi

	# The subcommand, and how many of its arguments come before point.
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ -z $cmd ]]; then
			if [[ $w == -* ]]; then
				[[ $w != *=* ]] && _nfdnsctl_takes_value '' "$w" && ((i++))
			else
				cmd=$w
				cmd_at=$i
			fi
		elif [[ $w == -- ]]; then
			npos=$((npos + cword - i - 1))
			opt=--
			break
		elif [[ $w == -* ]]; then
			[[ $w != *=* ]] && _nfdnsctl_takes_value "$cmd" "$w" && ((i++))
		else
			npos=$((npos + 1))
		fi
	done

	# The value of an option, given as --opt=VALUE or --opt VALUE (the
	# word before point is then an option of nfdnsctl when no subcommand
	# precedes it, else one of the subcommand).
	w=''
	if [[ -n $key ]]; then
		[[ $key == -* ]] && w=$key
	elif ((cword > 1 && cword - 1 != cmd_at)); then
		w=${words[cword-1]}
		_nfdnsctl_takes_value "$cmd" "$w" || w=''
	fi
	case $w in
	--netns | -n)
		_nfdnsctl_netns "$cur" "$prefix"
		return 0
		;;
	--watch | --count | --ttl)
		return 0
		;;
	--socket)
		_nfdnsctl_files "$cur" "$prefix"
		return 0
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_nfdnsctl_reply '--netns --json --help --version' "$cur"
		else
			_nfdnsctl_reply "$_nfdnsctl_commands" "$cur"
		fi
		return 0
	fi

	if [[ $cur == -* && $opt != -- && -z $key ]]; then
		_nfdnsctl_reply "$(_nfdnsctl_cmd_opts "$cmd")" "$cur"
		return 0
	fi

	case $cmd in
	status | stats)
		[[ -z $key ]] && _nfdnsctl_reply "$(_nfdnsctl_cmd_opts "$cmd")" "$cur"
		;;
	lookup | add | del)
		# NAME, then TYPE.
		if ((npos == 1)) && [[ -z $key ]]; then
			_nfdnsctl_reply "$_nfdnsctl_types" "$cur"
			((${#COMPREPLY[@]})) ||
				_nfdnsctl_reply "$_nfdnsctl_types" "${cur^^}"
		fi
		;;
	config)
		if [[ -n $key ]]; then
			case $key in
			enabled | norecurse_pass) _nfdnsctl_reply 'yes no' "$cur" "$prefix" ;;
			addrs | ifaces) _nfdnsctl_reply 'any' "$cur" "$prefix" ;;
			clients) _nfdnsctl_reply 'any none' "$cur" "$prefix" ;;
			esac
			return 0
		fi
		# KEY= forms, without the keys already on the line.
		local given=' '
		for ((i = cmd_at + 1; i < cword; i++)); do
			given+="${words[i]%%=*} "
		done
		for w in $_nfdnsctl_config_keys; do
			[[ $given == *" $w "* ]] && continue
			[[ $w == "$cur"* ]] && COMPREPLY+=("$w=")
		done
		((${#COMPREPLY[@]})) && compopt -o nospace 2>/dev/null
		;;
	save | load)
		((npos == 0)) && [[ -z $key ]] && _nfdnsctl_files "$cur" ''
		;;
	resolver)
		# The subcommand, then a log level.
		if ((npos == 0)); then
			_nfdnsctl_reply "$_nfdnsctl_resolver_cmds" "$cur"
		elif ((npos == 1)) && [[ ${words[cmd_at + 1]} == log-level || ${words[cword - 1]} == log-level ]]; then
			_nfdnsctl_reply 'error warning info debug' "$cur"
		fi
		;;
	esac
	return 0
} &&
	complete -F _nfdnsctl nfdnsctl

# ex: filetype=sh
