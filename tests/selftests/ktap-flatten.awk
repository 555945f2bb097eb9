# Turn KTAP from KUnit (nested, indented) into flat TAP with one line per
# leaf test, named suite.case[.param], so results can be counted as one list.
function depth(line) { match(line, /^ */); return RLENGTH / 4 }
/^ *# Subtest: / {
	d = depth($0)
	sub(/^ *# Subtest: /, "")
	name[d] = $0
	next
}
/^ *(not )?ok [0-9]+ / {
	d = depth($0)
	line = $0
	sub(/^ */, "", line)
	status = (line ~ /^not ok/) ? "not ok" : "ok"
	sub(/^(not )?ok [0-9]+ /, "", line)
	if (!deeper[d]) {
		full = line
		for (i = d; i >= 1; i--)
			if (name[i] != "")
				full = name[i] "." full
		n++
		print status " " n " - kunit " full
		if (status == "not ok")
			failed++
	}
	deeper[d] = 0
	for (i = 0; i < d; i++)
		deeper[i] = 1
	name[d + 1] = ""
	next
}
/^ *# .*(EXPECTATION|ASSERTION) FAILED|^ *# .*: (Expected|  )/ { print "# " $0 }
END { if (n == 0) { print "not ok 1 - kunit produced no results"; exit 1 } exit failed > 0 }
