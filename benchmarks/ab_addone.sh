#!/bin/bash
# Compare two versions of planwatch on adding a document, interleaved on the same machine state.
#
#   bash benchmarks/ab_addone.sh ROUNDS CORPUS_A CORPUS_B
#
# CORPUS_A and CORPUS_B are folders kept by `bench_corpus.py --docs N --keep DIR`, each built by
# the version to compare (run bench_corpus.py from that version's checkout: the folder holds its
# own src/). Each round adds one new region's plan to A, then to B, and times the four stages
# (`dvc repro --single-item`, as bench_corpus.py does) and a no-op `dvc repro` after them. This
# machine's speed moves by a third within a day, so runs made at different times compare
# nothing; these alternate. Results of session 5: results/addone_ab_10k_session5.txt.
# AB_TAG (default 比) starts the added regions' names: another tag for another series of rounds
# on the same corpora (a document already added is refused as a duplicate).
set -euo pipefail
rounds=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$root/.venv/bin:$PATH"
syl=(甲 乙 丙 丁 戊 己 庚 辛 壬 癸)
for i in $(seq 1 "$rounds"); do
  for k in 0 1; do
    corpus=$(cd "${@:$((k + 1)):1}" && pwd)
    cd "$corpus"
    export PYTHONPATH="$corpus/src"
    name="${AB_TAG:-比}${syl[$(( (i - 1) % 10 ))]}${syl[$(( (i - 1) / 10 % 10 ))]}$([ $k = 0 ] && echo 甲 || echo 乙)"
    doc=$(mktemp -d)/"${name}_plan.txt"
    sed "s/博山区/${name}区/g; s/博山/${name}/g" "$root/data/raw/boshan_2026_plan.txt" > "$doc"
    python -m planwatch add "$doc" --raw-dir data/raw > /dev/null
    line="$(basename "$corpus") round $i:"; tot=0
    for st in parse validate analyse report; do
      s=$(date +%s.%N)
      dvc repro --single-item "$st" > /dev/null 2>&1 || { echo "$corpus: stage $st failed"; exit 1; }
      d=$(echo "$(date +%s.%N) - $s" | bc); tot=$(echo "$tot + $d" | bc); line="$line $st $(printf %.1f "$d")"
    done
    s=$(date +%s.%N); dvc repro > /dev/null 2>&1; noop=$(echo "$(date +%s.%N) - $s" | bc)
    echo "$line total $(printf %.1f "$tot") | no-op $(printf %.2f "$noop")"
  done
done
