#!/usr/bin/env bash
# Glass-forming ability as a user runs it: synthetic alloys, 3-fold cross-validation with a final
# model, eval, predict (formulas, a CSV with a bad row, a ternary design grid), the composition
# image, an interrupted and resumed run, and bad input.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin/alloyml-augment" gfa -o alloys.csv -n 150 --seed 2 --quiet | grep -q "wrote 150 synthetic alloys"
head -1 alloys.csv | grep -qx "formula,dmax_mm"
small=(--set data.csv=alloys.csv --set model.width=8 --set train.epochs=2 --set cv.folds=3 --set encoding.size=16 --set ensemble.members=1 --quiet)

"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" "${small[@]}" --out run > train.out
grep -q "fold 3" train.out && grep -q "out-of-fold" train.out || { echo "FAIL: gfa_test.sh line 14"; exit 1; }
for f in model.json summary.json oof_predictions.csv report.html parity.png folds.png loss.png metrics.jsonl \
         checkpoints/last.pt folds/1/result.json folds/3/metrics.jsonl; do
  test -s "run/$f" || { echo "missing run/$f"; exit 1; }
done
# The report shows summary.json as tables (a long element list shortened) and links the raw file.
grep -q 'href="summary.json"' run/report.html && ! grep -q "<pre>" run/report.html ||
  { echo "FAIL: line 20 of $0"; exit 1; }
grep -q "in all)</td>" run/report.html && grep -q "<h4>cv: by part</h4>" run/report.html || { echo "FAIL: gfa_test.sh line 22"; exit 1; }
head -1 run/oof_predictions.csv | grep -qx "row,formula,fold,dmax_mm,predicted"
[ "$(wc -l < run/oof_predictions.csv)" -eq 151 ]
python3 - <<'PY'
import csv, json
rows = list(csv.DictReader(open("run/oof_predictions.csv")))
folds = {}
for r in rows: folds.setdefault(r["fold"], set()).add(r["row"])
assert sorted(folds) == ["1", "2", "3"], folds.keys()
assert sum(len(v) for v in folds.values()) == 150 and len(set.union(*folds.values())) == 150  # disjoint, complete
s = json.load(open("run/summary.json"))
assert len(s["cv"]["folds"]) == 3 and "std" in s["cv"] and s["cv"]["pooled"]["n"] == 150, s["cv"]
PY

# Eval (out-of-fold without --data; a CSV with --data) and predict.
"$bin/alloyml-eval" --run run --quiet | grep -q "Dmax on oof: RMSE"
"$bin/alloyml-eval" --run run --data alloys.csv --out e.json --quiet > /dev/null
grep -q '"n": 150' e.json && grep -q '"r2"' e.json || { echo "FAIL: gfa_test.sh line 39"; exit 1; }
"$bin/alloyml-predict" --run run -f Zr41.2Cu33.5Al25.3 -f "(Zr50Cu50)90Al10" --quiet > p.csv
head -1 p.csv | grep -qx "row,formula,predicted,error"
grep -Eq '^2,\(Zr50Cu50\)90Al10,[0-9.]+,$' p.csv
# A row of 50k nested brackets (it once overflowed the stack and killed the whole batch) is one row's error.
deep=$(python3 -c "print('(' * 50000 + 'Zr50Cu50' + ')' * 50000)")
printf 'alloy,note\nZr50Cu50,a\nZr50Qq50,b\nZr40Cu40Au20,c\n%s,d\n' "$deep" > new.csv
"$bin/alloyml-predict" --run run --input new.csv --output pred.csv --quiet
[ "$(wc -l < pred.csv)" -eq 5 ]
grep -q "^4,.*brackets nested deeper than 32 levels" pred.csv
grep -Eq '^1,Zr50Cu50,[0-9.]+,$' pred.csv
grep -q "^2,.*unknown element 'Qq'" pred.csv
grep -q "^3,Zr40Cu40Au20,,.*element Au is not in the model's element set" pred.csv
"$bin/alloyml-predict" --run run --system Zr-Cu-Al --step 10 --output grid.csv --quiet > design.out
[ "$(wc -l < grid.csv)" -eq 67 ] && test -s grid.png || { echo "FAIL: gfa_test.sh line 50"; exit 1; }
grep -q "Best compositions of Zr-Cu-Al" design.out
"$bin/alloyml-augment" composition "Zr41.2Ti13.8Cu12.5Ni10Be22.5" -o zr.png --properties radius vec --quiet
"$bin/alloyml-augment" composition "Zr50Cu50" --run run -o zr_run.png --quiet
test -s zr.png && test -s zr_run.png || { echo "FAIL: gfa_test.sh line 54"; exit 1; }

# One model on a split (cv.folds 0), periodic-table images, Huber loss, LDS and Mixup: val and test metrics.
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" "${small[@]}" --set cv.folds=0 --set loss.lds.enabled=true \
  --set mixup.alpha=0.4 --set loss.name=huber --set encoding.kind=periodic_table --out split > /dev/null
grep -q '"test"' split/summary.json && test -s split/split.csv || { echo "FAIL: gfa_test.sh line 59"; exit 1; }
"$bin/alloyml-eval" --run split --quiet | grep -q "Dmax on test"

# Its network exported and used as the start of another run (pretraining on a related set).
"$bin/alloyml-predict" --run split --export split.pth --quiet | grep -q "wrote split.pth (resnet18 state dict"
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" "${small[@]:0:${#small[@]}-1}" --set cv.folds=0 --set encoding.kind=periodic_table \
  --set model.pretrained=split.pth --out tuned > tuned.out 2>&1
grep -q "loaded 122 tensors" tuned.out && ! grep -q "missing" tuned.out ||
  { echo "FAIL: line 65 of $0"; exit 1; }

# An ensemble of two networks per fit: members 2 beside the usual layout, both used by predict,
# and its out-of-fold predictions the mean of its members' (member 1 is the single run above).
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" "${small[@]}" --set ensemble.members=2 --out ens > /dev/null
for f in checkpoints/last.pt members/2/checkpoints/last.pt folds/3/members/2/checkpoints/last.pt; do
  test -s "ens/$f" || { echo "missing ens/$f"; exit 1; }
done
python3 - <<'PY'
import csv, json
m = json.load(open("ens/model.json"))
assert m["checkpoints"] == ["checkpoints/last.pt", "members/2/checkpoints/last.pt"], m["checkpoints"]
one = {r["row"]: float(r["predicted"]) for r in csv.DictReader(open("run/oof_predictions.csv"))}
two = {r["row"]: float(r["predicted"]) for r in csv.DictReader(open("ens/oof_predictions.csv"))}
assert one.keys() == two.keys() and any(abs(one[k] - two[k]) > 1e-3 for k in one), "the ensemble changed nothing"
PY
"$bin/alloyml-predict" --run ens -f Zr50Cu50 --quiet | grep -Eq '^1,Zr50Cu50,[0-9.]+,$'
set +e; "$bin/alloyml-predict" --run ens --export ens.pth --quiet > /dev/null 2> ens.err; rc=$?; set -e
[ "$rc" -eq 2 ] && grep -q "an ensemble of 2 networks; --export writes one network" ens.err && [ ! -e ens.pth ] || { echo "FAIL: gfa_test.sh line 85"; exit 1; }
rm ens/members/2/checkpoints/last.pt
set +e; "$bin/alloyml-predict" --run ens -f Zr50Cu50 --quiet > /dev/null 2> ens.err; rc=$?; set -e
[ "$rc" -eq 2 ] && grep -q "members/2/checkpoints/last.pt is missing" ens.err || { echo "FAIL: gfa_test.sh line 88"; exit 1; }

# Interrupted (SIGINT) in the second fold's second ensemble member and resumed: the same
# out-of-fold predictions.
long=(-c "$src/configs/gfa/cpu.json" --set data.csv=alloys.csv --set model.width=8 --set train.epochs=6 --set cv.folds=3
      --set encoding.size=16 --set cv.final_model=false --set runtime.precision=fp32 --set ensemble.members=2 --quiet)
"$bin/alloyml-train" "${long[@]}" --out whole > /dev/null
"$bin/alloyml-train" "${long[@]}" --out cut > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 6000); do [ -f cut/folds/2/members/2/checkpoints/last.pt ] && break; sleep 0.01; done
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ "$rc" -eq 130 ] || { echo "expected exit 130 after SIGINT, got $rc"; exit 1; }
[ ! -f cut/summary.json ]
"$bin/alloyml-train" --resume --out cut --quiet > /dev/null
cmp whole/oof_predictions.csv cut/oof_predictions.csv

# Bad input: exit code 2, the file, row, key named.
printf 'formula,dmax\nZr50Cu50,1\nCuZr,x\n' > bad.csv
set +e
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" --set data.csv=bad.csv --out bad1 > out1 2>&1; rc1=$?
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" "${small[@]}" --set cv.folds=1 --out bad2 > out2 2>&1; rc2=$?
"$bin/alloyml-train" -c "$src/configs/gfa/cpu.json" "${small[@]}" --set 'encoding.properties=["radius","vek"]' --out bad3 > out3 2>&1; rc3=$?
"$bin/alloyml-predict" --run run --system Zr-Cu-Al --step 7 > out4 2>&1; rc4=$?
"$bin/alloyml-predict" --run run --system Zr-Cu-Au --step 10 > out5 2>&1; rc5=$?
"$bin/alloyml-augment" composition "Zr50Cu" -o x.png --run run > out6 2>&1; rc6=$?
"$bin/alloyml-augment" composition "Zr5(0Cu50" -o x.png > out7 2>&1; rc7=$?
"$bin/alloyml-predict" --run run --formula Zr50Cu50 --topk 2 > out8 2>&1; rc8=$?
"$bin/alloyml-predict" --run run > out9 2>&1; rc9=$?
set -e
[ $rc1 -eq 2 ] && grep -q "bad.csv: row 2 (line 3), column 'dmax': 'x' is not a number" out1 || { echo "FAIL: gfa_test.sh line 118"; exit 1; }
[ $rc2 -eq 2 ] && grep -q "'cv.folds' must be 0 (one model on data.split) or at least 2" out2 || { echo "FAIL: gfa_test.sh line 119"; exit 1; }
[ $rc3 -eq 2 ] && grep -q "unknown property 'vek'; did you mean 'vec'" out3 || { echo "FAIL: gfa_test.sh line 120"; exit 1; }
[ $rc4 -eq 2 ] && grep -q "must divide 100" out4 || { echo "FAIL: gfa_test.sh line 121"; exit 1; }
[ $rc5 -eq 2 ] && grep -q "element Au is not in the model's element set" out5 || { echo "FAIL: gfa_test.sh line 122"; exit 1; }
[ $rc6 -eq 0 ]
[ $rc7 -eq 2 ] && grep -q "Zr5(0Cu50" out7 || { echo "FAIL: gfa_test.sh line 124"; exit 1; }
[ $rc8 -eq 2 ] && grep -q -- "--topk applies to classification runs; run is a gfa run" out8 || { echo "FAIL: gfa_test.sh line 125"; exit 1; }
[ $rc9 -eq 2 ] && grep -q -- "--input is required" out9 || { echo "FAIL: gfa_test.sh line 126"; exit 1; }
echo "ok: gfa generate, cross-validate, eval, predict, design, image, resume and errors"
