"""Draw a second, blind CFPB sample for the round-2 rules (deterministic).

Excludes the evaluation sample (cfpb_eval_ids.txt) and the first 800 dev narratives in file
order (whose detections were looked at while revising the rules). 150 narratives of at most
2,000 characters, seed 20261122 -> data/flags/cfpb_blind_ids.txt. They were labelled before the
detector was run on them.
Usage: python3 data/flags/sample_cfpb_blind.py CFPB_CSV
"""
import csv
import random
import sys

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
evaluation = set(open("data/flags/cfpb_eval_ids.txt").read().split())
dev = [r for r in rows if r["Complaint ID"] not in evaluation]
seen = {r["Complaint ID"] for r in dev[:800]}
pool = [r for r in dev[800:] if len(r["Consumer complaint narrative"]) <= 2000]
pool.sort(key=lambda r: int(r["Complaint ID"]))
sample = random.Random(20261122).sample(pool, 150)
assert not ({r["Complaint ID"] for r in sample} & (evaluation | seen))
with open("data/flags/cfpb_blind_ids.txt", "w") as f:
    for r in sample:
        f.write(r["Complaint ID"] + "\n")
print(len(pool), "in pool,", len(sample), "sampled")
