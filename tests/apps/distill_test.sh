#!/usr/bin/env bash
# Relational knowledge distillation as a user runs it: a SARSN teacher, then a ResNet student
# taught by it (--set distill.teacher=RUN), which evaluates and predicts like any classifier; the
# teacher's errors; and the student killed and resumed (resume_test.sh with the teacher).
set -euo pipefail
bin=$1; src=$2
expect=("$src/tests/apps/expect_exit.sh")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/data" -n 24 --size 48 --quiet
common=(-c "$src/configs/smoke/tiny.json" --set "data.root=$work/data" --set input.size=48 --set train.batch_size=12 --quiet)
"$bin/alloyml-train" "${common[@]}" --set model.name=sarsn18 --set model.width=16 --set train.epochs=10 --out "$work/teacher" >/dev/null
"$bin/alloyml-train" "${common[@]}" --set model.name=resnet10 --set model.width=8 --set train.epochs=10 \
  --set "distill.teacher=$work/teacher" --set distill.kd_weight=1 --out "$work/student" > "$work/student.out"
grep -q "Results on the test split" "$work/student.out"
python3 - "$work/student" <<'PY'
import json, sys
run = sys.argv[1]
s = json.load(open(run + "/summary.json"))
lines = [json.loads(l) for l in open(run + "/metrics.jsonl")]
for key in ("train_loss_labels", "train_loss_rkd_distance", "train_loss_rkd_angle", "train_loss_soft_targets",
            "teacher_train_accuracy", "teacher_val_accuracy"):
    assert all(key in l for l in lines), key
assert s["teacher"]["model"] == "sarsn18" and "test" in s["teacher"], s["teacher"]
# The student learns: six classes, chance is 1/6.
assert s["test"]["accuracy"] >= 0.6, s["test"]
# The relations are learned: the distance loss falls over training.
assert lines[-1]["train_loss_rkd_distance"] < lines[0]["train_loss_rkd_distance"], [l["train_loss_rkd_distance"] for l in lines]
PY
grep -q "distill_losses.png" "$work/student/report.html" && grep -q "teacher accuracy" "$work/student/report.html" || { echo "FAIL: distill_test.sh line 29"; exit 1; }
"$bin/alloyml-eval" --run "$work/student" --quiet | grep -q "accuracy"
[ "$("$bin/alloyml-predict" --run "$work/student" --input "$work/data" --quiet | wc -l)" -eq 145 ]
echo "ok: the distilled student trained, evaluates and predicts"

# Grad-CAM heat maps beside the predictions (Huang et al. 2023, Fig. 19), any classifier.
"$bin/alloyml-predict" --run "$work/teacher" --input "$work/data" --cam "$work/cam" --quiet --output "$work/cam.csv"
head -1 "$work/cam.csv" | grep -q "^path,label,score,cam,error$"
[ "$(ls "$work/cam" | grep -c '_cam.png$')" -eq 144 ]
grep -q "crazing_1.png,.*,$work/cam/crazing_1_cam.png," "$work/cam.csv"
# The 48 px input enlarged to 256, beside its overlay: a 512 x 256 PNG (width and height from IHDR).
python3 -c "import struct,sys; d = open(sys.argv[1], 'rb').read(24); assert d[:8] == b'\x89PNG\r\n\x1a\n' and struct.unpack('>II', d[16:24]) == (512, 256), d" \
  "$work/cam/crazing_1_cam.png"
"$bin/alloyml-predict" --run "$work/student" --input "$work/data/crazing_1.png" --cam "$work/cam2" --cam-layer layer3 --quiet \
  --output "$work/cam.jsonl"
grep -q '"cam":".*crazing_1_cam.png"' "$work/cam.jsonl"
"${expect[@]}" 2 "--cam-layer 'layer9' is not a layer of this model; valid: layer4, layer3, layer2, layer1" \
  "$bin/alloyml-predict" --run "$work/student" --input "$work/data/crazing_1.png" --cam "$work/cam3" --cam-layer layer9
echo "ok: Grad-CAM overlays written, named in the rows, layer selectable"

# A teacher that is not a run, or that knows other classes, is a clear error (exit 2).
"${expect[@]}" 2 "distill.teacher '$work/data'.*not a run directory" \
  "$bin/alloyml-train" "${common[@]}" --set "distill.teacher=$work/data" --out "$work/bad1"
mkdir -p "$work/other" && for c in crazing inclusion; do cp "$work/data/${c}_"*.png "$work/other/"; done
"$bin/alloyml-train" "${common[@]}" --set "data.root=$work/other" --set train.epochs=1 --out "$work/other-run" >/dev/null
"${expect[@]}" 2 "knows the classes crazing, inclusion but the data has" \
  "$bin/alloyml-train" "${common[@]}" --set "distill.teacher=$work/other-run" --out "$work/bad2"
echo "ok: bad teachers are refused with the reason"

# The reproduction table of scripts/reproduce/huang.sh on these runs (its "cpu" part).
mkdir -p "$work/rep" && ln -s "$work/teacher" "$work/rep/sarsn_cpu" && ln -s "$work/student" "$work/rep/distill_cpu"
/usr/bin/python3 "$src/scripts/reproduce/huang_table.py" "$work/rep" cpu "" > "$work/table.md"
grep -q "^| sarsn_cpu | sarsn18 | [0-9.]* | 0\.[0-9]* | [0-9.]* | .* min |$" "$work/table.md"
grep -q "^| distill_cpu | resnet10 | " "$work/table.md" && grep -q "^| distill_cpu_alone | - |" "$work/table.md" || { echo "FAIL: distill_test.sh line 62"; exit 1; }
echo "ok: the reproduction table reads the runs"

"$src/tests/apps/resume_test.sh" "$bin" "$src" --set "distill.teacher=$work/teacher" --set model.width=8
