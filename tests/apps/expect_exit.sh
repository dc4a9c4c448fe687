#!/usr/bin/env bash
# expect_exit.sh CODE REGEX CMD [ARGS...]
# Runs CMD; passes when it exits with CODE and its output (stdout+stderr) matches REGEX.
set -u
code=$1; regex=$2; shift 2
out=$("$@" 2>&1); rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$code" ]; then echo "FAIL: exit code $rc, expected $code"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$out"; then echo "FAIL: output does not match /$regex/"; exit 1; fi
echo "ok: exit $rc and output matched /$regex/"
