"""Draw the CFPB evaluation and dev subsets for the flag labels (deterministic).

eval: 220 narratives of at most 2,000 characters (random, seed 20261121) -- labelled by hand,
      never looked at while writing the detector rules.
dev:  every other narrative -- the only CFPB text used while writing the rules.
Usage: python3 data/flags/sample_cfpb.py CFPB_CSV  -> writes data/flags/cfpb_eval_ids.txt
"""
import csv
import random
import sys

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
pool = [r for r in rows if len(r["Consumer complaint narrative"]) <= 2000]
pool.sort(key=lambda r: int(r["Complaint ID"]))
sample = random.Random(20261121).sample(pool, 220)
with open("data/flags/cfpb_eval_ids.txt", "w") as f:
    for r in sample:
        f.write(r["Complaint ID"] + "\n")
print(len(rows), "rows,", len(pool), "<= 2000 chars,", len(sample), "sampled")
