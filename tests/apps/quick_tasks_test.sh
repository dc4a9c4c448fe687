#!/usr/bin/env bash
# The quick tier's tour of the tasks (issue 41): for each task, the smallest run a user could make,
# then eval and predict on it, asserting what each command hands back. The full tests of each task
# (resume, error paths, reports, figures) are the app tests labelled app and slow.
#   quick_tasks_test.sh BIN SRC
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

# Classification (a CNN distilled from a CNN teacher, and the classical GLCM+SVM).
"$bin/alloyml-augment" synth -o img -n 6 --size 32 --quiet > /dev/null
tiny=(-c "$src/configs/smoke/tiny.json" --set data.root=img --set input.size=32 --set train.epochs=1 --set model.width=8
      --threads 1 --quiet)
"$bin/alloyml-train" "${tiny[@]}" --out cnn > cnn.out
grep -q "Results on the test split" cnn.out || fail "classification: no results table"
"$bin/alloyml-eval" --run cnn --split val --quiet | grep -q "accuracy" || fail "classification: eval"
"$bin/alloyml-predict" --run cnn --input img --quiet > cnn.csv
[ "$(wc -l < cnn.csv)" -eq 37 ] || fail "classification: expected 36 rows and a header, got $(wc -l < cnn.csv) lines"
"$bin/alloyml-train" "${tiny[@]}" --set distill.teacher=cnn --out student > /dev/null
grep -q '"teacher"' student/summary.json || fail "distillation: no teacher figures in summary.json"
"$bin/alloyml-train" "${tiny[@]}" --set model.name=glcm_svm --out glcm > /dev/null
"$bin/alloyml-predict" --run glcm --input img/crazing_1.png --quiet | grep -q "crazing_1.png," || fail "GLCM+SVM: predict"
echo "ok: classification (CNN, distilled student, GLCM+SVM): train, eval, predict"

# Glass-forming ability: one network on a split.
"$bin/alloyml-augment" gfa -o alloys.csv -n 60 --seed 2 --quiet > /dev/null
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" --set data.csv=alloys.csv --set model.width=8 --set train.epochs=1 \
  --set cv.folds=0 --set encoding.size=16 --set ensemble.members=1 --threads 1 --quiet --out gfa > /dev/null
"$bin/alloyml-eval" --run gfa --quiet | grep -q "Dmax on test: RMSE" || fail "gfa: eval"
"$bin/alloyml-predict" --run gfa -f Zr50Cu50 --quiet | grep -Eq '^1,Zr50Cu50,[0-9.]+,$' || fail "gfa: predict"
echo "ok: glass-forming ability: train, eval, predict"

# Springback: GA-BP with a few generations.
"$bin/alloyml-augment" springback -o shafts.csv -n 160 --seed 3 --quiet > /dev/null
"$bin/alloyml-train" -c "$src/configs/springback/gabp.json" --set data.csv=shafts.csv --set ga.generations=3 \
  --set train.repeats=1 --threads 1 --quiet --out spring > /dev/null
"$bin/alloyml-eval" --run spring --quiet | grep -q "RMSE" || fail "springback: eval"
"$bin/alloyml-predict" --run spring --input shafts.csv --output spring.csv --quiet
[ "$(wc -l < spring.csv)" -eq 161 ] || fail "springback: expected 160 rows and a header"
echo "ok: springback: train, eval, predict"

# CycleGAN: one epoch between two folders, then translation.
"$bin/alloyml-augment" synth -o A -n 2 --size 32 --quiet > /dev/null
"$bin/alloyml-augment" camera -i A -o B --seed 4 --quiet > /dev/null
"$bin/alloyml-augment" cyclegan-train -c "$src/configs/cyclegan/cpu.json" --set data.domain_a=A --set data.domain_b=B \
  --set input.size=32 --set input.resize=36 --set model.ngf=4 --set model.ndf=4 --set model.blocks=1 --set train.epochs=1 \
  --set schedule.constant_epochs=1 --set train.batch_size=2 --set output.grid_images=2 --threads 1 --quiet --out gan > /dev/null
"$bin/alloyml-augment" cyclegan-translate --run gan -i A -o AtoB --quiet | grep -q "translated 12 images A->B" ||
  fail "cyclegan: translate"
echo "ok: CycleGAN: train, translate"
