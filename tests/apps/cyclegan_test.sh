#!/usr/bin/env bash
# CycleGAN as a user runs it (issue 23): cyclegan-train on two unpaired folders with the CPU
# recipe shrunk to a toy, the same metrics for the same seed, a run stopped by SIGKILL or SIGINT
# and resumed equal to an uninterrupted one (networks, optimisers and both image pools), the
# report's losses and per-epoch grids; cyclegan-translate keeping labels, file counts and each
# image's own size; and the error paths (exit 2, naming the key, file or run).
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/resume_lib.sh"
"$bin/alloyml-augment" synth -o "$work/A" -n 4 --size 32 --quiet > /dev/null
# Line B: other images of the same kind (another seed) through another camera, labels kept.
"$bin/alloyml-augment" synth -o "$work/Bsrc" -n 4 --size 32 --seed 9 --quiet > /dev/null
"$bin/alloyml-augment" camera -i "$work/Bsrc" -o "$work/B" --seed 4 --quiet | grep -q "wrote 24 images as another camera"
"$bin/alloyml-augment" camera -i "$work/Bsrc" -o "$work/B2" --seed 4 --quiet > /dev/null
diff -r "$work/B" "$work/B2" > /dev/null || { echo "FAIL: camera: same seed, different images"; exit 1; }
diff <(ls "$work/Bsrc") <(ls "$work/B") > /dev/null || { echo "FAIL: camera renamed or lost files"; exit 1; }
cmp -s "$work/Bsrc/crazing_1.png" "$work/B/crazing_1.png" && { echo "FAIL: camera left an image unchanged"; exit 1; }
train=("$bin/alloyml-augment" cyclegan-train -c "$src/configs/cyclegan/cpu.json" --set "data.domain_a=$work/A"
       --set "data.domain_b=$work/B" --set input.size=32 --set input.resize=36 --set model.ngf=4 --set model.ndf=4
       --set model.blocks=1 --set train.epochs=6 --set schedule.constant_epochs=3 --set train.batch_size=2
       --set train.pool_size=5 --set output.grid_images=2 --threads 1 --quiet)

"${train[@]}" --out "$work/a" > /dev/null
"${train[@]}" --out "$work/b" > /dev/null
diff <(strip "$work/a/metrics.jsonl") <(strip "$work/b/metrics.jsonl") || { echo "FAIL: same seed, different metrics"; exit 1; }
echo "ok: two runs with the same seed wrote identical metrics"
for key in train_loss_g_ab train_loss_g_ba train_loss_d_a train_loss_d_b train_loss_cycle_a train_loss_identity_b; do
  grep -q "\"$key\"" "$work/a/metrics.jsonl" || { echo "FAIL: metrics.jsonl has no $key"; exit 1; }
done
[ "$(ls "$work/a/grids" | wc -l)" -eq 6 ] || { echo "FAIL: expected one grid per epoch"; ls "$work/a/grids"; exit 1; }
for f in report.html gan_losses.png cycle_losses.png summary.json model.json checkpoints/last.pt; do
  [ -f "$work/a/$f" ] || { echo "FAIL: the run has no $f"; exit 1; }
done
grep -q 'grids/epoch_006.png' "$work/a/report.html" || { echo "FAIL: the report does not show the last grid"; exit 1; }
echo "ok: losses per epoch, a grid per epoch and the report"

RESUME=("$bin/alloyml-augment" cyclegan-train --resume --threads 1 --quiet)
check_stop_and_resume "$work/a/metrics.jsonl" "$work" -- "${train[@]}"
# The resumed generators translate as the uninterrupted ones (batch norm's running statistics too).
for r in a killed-KILL; do
  "$bin/alloyml-augment" cyclegan-translate --run "$work/$r" -i "$work/A" -o "$work/same-$r" --quiet > /dev/null
done
diff -r "$work/same-a" "$work/same-killed-KILL" > /dev/null || { echo "FAIL: the resumed run translates differently"; exit 1; }
echo "ok: the resumed run translates as the uninterrupted one"

# Translation keeps labels: a flat NEU-style folder keeps its names, class folders stay folders,
# a CSV's images go to one folder per label; images of another size come back at their size.
"$bin/alloyml-augment" cyclegan-translate --run "$work/a" -i "$work/A" -o "$work/AtoB" --quiet | grep -q "translated 24 images A->B"
diff <(ls "$work/A") <(ls "$work/AtoB") > /dev/null || { echo "FAIL: translation renamed or lost files"; exit 1; }
mkdir -p "$work/classes/crazing" "$work/classes/patches"
cp "$work/B/crazing_1.png" "$work/classes/crazing/"; cp "$work/B/patches_2.png" "$work/classes/patches/"
/usr/bin/python3 -c "import sys; open(sys.argv[1], 'wb').write(b'P5 50 30 255\n' + bytes((x * 5) % 256 for x in range(1500)))" \
  "$work/classes/patches/wide.pgm"
"$bin/alloyml-augment" cyclegan-translate --run "$work/a" -i "$work/classes" -o "$work/BtoA" -d BtoA --quiet > /dev/null
[ -f "$work/BtoA/crazing/crazing_1.png" ] && [ -f "$work/BtoA/patches/patches_2.png" ] || { echo "FAIL: class folders not kept"; exit 1; }
head -c 16 "$work/BtoA/patches/wide.pgm" | tr '\n' ' ' | grep -q "^P5 50 30 255" || { echo "FAIL: a 50x30 image did not come back at 50x30"; exit 1; }
printf 'path,label\n%s,crazing\n%s,scratches\n' "$work/A/crazing_3.png" "$work/A/scratches_4.png" > "$work/list.csv"
"$bin/alloyml-augment" cyclegan-translate --run "$work/a" -i "$work/list.csv" -o "$work/fromcsv" --quiet > /dev/null
[ -f "$work/fromcsv/crazing/crazing_3.png" ] && [ -f "$work/fromcsv/scratches/scratches_4.png" ] || { echo "FAIL: CSV labels not kept"; exit 1; }
echo "ok: translation keeps labels, counts and sizes"

# The translated folder trains a classifier like any other.
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/AtoB" --set input.size=32 --set train.epochs=1 \
  --out "$work/clf" --quiet > /dev/null
echo "ok: a classifier trains on the translated images"

expect() {  # CODE REGEX CMD...
  local code=$1 regex=$2 rc=0 out; shift 2
  out=$("$@" 2>&1) || rc=$?
  [ "$rc" -eq "$code" ] && grep -Eq -- "$regex" <<<"$out" || { echo "FAIL: exit $rc, output: $out (wanted $code, /$regex/)"; exit 1; }
}
expect 2 "set data.domain_b" "$bin/alloyml-augment" cyclegan-train -c "$src/configs/cyclegan/cpu.json" --set data.domain_b=null --out "$work/x"
expect 2 "input.size' must be a multiple of 4" "${train[@]}" --set input.size=30 --out "$work/x"
expect 2 "model.norm.*group" "${train[@]}" --set model.norm=group --out "$work/x"
# The reference's instance-normed stem on grey images: trained, with a warning that says why not.
expect 0 "cannot see an image's brightness or contrast" "${train[@]}" --set model.norm=instance --set train.epochs=1 \
  --out "$work/in"
expect 2 "data.domain_a: .*no/such: no such file" "${train[@]}" --set data.domain_a=/no/such --out "$work/x"
expect 2 "cyclegan-train needs a config with \"task\": \"cyclegan\"" \
  "$bin/alloyml-augment" cyclegan-train -c "$src/configs/smoke/tiny.json" --out "$work/x"
expect 2 "is a 'classification' run; cyclegan-translate needs a CycleGAN run" \
  "$bin/alloyml-augment" cyclegan-translate --run "$work/clf" -i "$work/A" -o "$work/x"
expect 2 "is a CycleGAN run: .*not evaluated" "$bin/alloyml-eval" --run "$work/a"
expect 2 "is a CycleGAN run: translate images with" "$bin/alloyml-predict" --run "$work/a" --input "$work/A"
expect 2 "Path does not exist: /no/such" "$bin/alloyml-augment" camera -i /no/such -o "$work/x"
expect 2 "direction: sideways not in" "$bin/alloyml-augment" cyclegan-translate --run "$work/a" -i "$work/A" -o "$work/x" -d sideways
echo "ok: bad configs, runs and options exit 2 with the key, run or option named"
