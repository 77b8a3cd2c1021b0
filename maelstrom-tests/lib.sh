# Shared by the maelstrom-tests/bench-*.sh scripts; source it right after `set -euo pipefail`:
#   source "$(dirname "$(readlink -f "$0")")/lib.sh"
# It sets $root to the repository root and changes into it.
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

# The line every benchmark prints first, so that figures taken on a loaded machine say so:
#   # <UTC time> <N> cores, load <1-, 5- and 15-minute load averages>
machine_line() {
  echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# catalogue_row ID: prints the row of maelstrom-tests/catalogue.tsv whose id is ID (columns: id, node-args,
# maelstrom-flags, targets); with none, says so and fails with status 2 (which `row=$(catalogue_row …)`
# passes on under set -e).
catalogue_row() {
  local line
  line="$(awk -F'\t' -v id="$1" '$1 == id' "$root/maelstrom-tests/catalogue.tsv")"
  [[ -n "$line" ]] || { echo "no catalogue row $1" >&2; exit 2; }
  printf '%s\n' "$line"
}

# without_faults FLAG…: prints the flags, one a line, without `--nemesis X` and `--availability X` (the fault
# benchmarks set their own nemesis, and a killed node cannot be totally available).
without_faults() {
  local out=() skip=0
  for a in "$@"; do
    if ((skip)); then skip=0; continue; fi
    case "$a" in
      --nemesis | --availability) skip=1 ;;
      *) out+=("$a") ;;
    esac
  done
  printf '%s\n' "${out[@]}"
}
