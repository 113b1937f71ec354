# capabilities: the README's table of kernel features is measured, not
# recalled. The guest reports what this kernel can do (lab_caps in nsim.sh,
# probing the kernel itself); host() finds each README row's capability and
# checks its column for this kernel against the report.

guest() {
	lab_caps > caps.txt
	cat caps.txt
	check "the guest reports capabilities" [ -s caps.txt ]
}

host() {
	local col ok=0 rows=0 cap want got
	case $LAB_KERNEL in 6.1) col=1 ;; 5.4) col=2 ;; *) echo "no README column for $LAB_KERNEL"; return 1 ;; esac
	# Rows: "  feature (cap) ... yes|no yes|no ...", the capability in
	# brackets on the row or the line below it.
	sed -n '/^  feature (lab capability)/,/^$/p' "$SRCDIR/README" |
		awk 'match($0, /\(([a-z_]+)\)/) { cap = substr($0, RSTART + 1, RLENGTH - 2) }
		     match($0, / (yes|no) +(yes|no) /) { split(substr($0, RSTART + 1, RLENGTH - 2), yn, / +/); row = 1 }
		     cap != "" && row { print cap, yn[1], yn[2]; cap = ""; row = 0 }' > "$OUT/readme.rows"
	cat "$OUT/readme.rows"
	while read -r cap a b; do
		rows=$((rows + 1))
		[ $col = 1 ] && want=$a || want=$b
		got=$(awk -v c="$cap" '$1 == c {print $2}' "$OUT/caps.txt")
		echo "$cap: README says $want on $LAB_KERNEL, the guest reports ${got:-nothing}"
		[ "$got" = "$want" ] || ok=1
	done < "$OUT/readme.rows"
	[ $rows -ge 6 ] || { echo "found only $rows rows in README's kernel table"; return 1; }
	return $ok
}
