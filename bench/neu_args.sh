# Sourced by the NEU benches (bench/huang.sh, bench/cyclegan.sh): reads
#   [WHAT] [NEU_IMAGE_FOLDER] [SEEDS] [-- FLAGS...]
# into $what, $images, $seeds and the array $flags (given to every training command), sets up and
# builds the project, makes the output folder $out (OUT, else runs/$1 of the sourcing call) and
# defines run NAME COMMAND...: a run that finished is kept, a started one resumes, so a stopped
# bench starts again where it was.
bench_name=$1; shift
what=${1:-all}; images=${2:-../shared/data/neu-det-dev/IMAGES}; seeds=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
flags=("$@")
[ -d "$images" ] || { echo "$images: no such folder (the NEU images; see README.md, Data)" >&2; exit 2; }
scripts/setup.sh > /dev/null
scripts/build.sh release > /dev/null
bin=build/release/bin
out=${OUT:-runs/$bench_name}
mkdir -p "$out"
out=$(cd "$out" && pwd)
run() {
  local name=$1; shift
  [ -f "$out/$name/summary.json" ] && return
  local resume=()
  [ -f "$out/$name/checkpoints/last.pt" ] && resume=(--resume)
  echo "== $name" >&2
  "$@" "${flags[@]}" --out "$out/$name" --quiet "${resume[@]}" > /dev/null
}
