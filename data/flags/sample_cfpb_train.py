"""Draw the CFPB narratives labelled as extra *training* data for the flag model (deterministic).

Never from the evaluation sample (cfpb_eval_ids.txt) nor the blind sample (cfpb_blind_ids.txt).
1. 100 narratives, seed 20261123, from the dev narratives after the first 800 in file order
   (never looked at while writing the rules), at most 2,000 characters.
2. 100 more, seed 20261124, from all remaining dev narratives of at most 1,200 characters
   (shorter, so that more could be read in the time available).
Both go to data/flags/cfpb_train_ids.txt (in that order); labelled by reading, with the
README's guidelines (cfpb_train_labels.tsv).
Usage: python3 data/flags/sample_cfpb_train.py CFPB_CSV
"""
import csv
import random
import sys

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
evaluation = set(open("data/flags/cfpb_eval_ids.txt").read().split())
blind = set(open("data/flags/cfpb_blind_ids.txt").read().split())
dev = [r for r in rows if r["Complaint ID"] not in evaluation]
text = "Consumer complaint narrative"
pool = [r for r in dev[800:] if len(r[text]) <= 2000 and r["Complaint ID"] not in blind]
pool.sort(key=lambda r: int(r["Complaint ID"]))
first = random.Random(20261123).sample(pool, 100)
taken = {r["Complaint ID"] for r in first}
pool2 = [r for r in dev if len(r[text]) <= 1200 and r["Complaint ID"] not in blind | taken]
pool2.sort(key=lambda r: int(r["Complaint ID"]))
second = random.Random(20261124).sample(pool2, 100)
sample = first + second
assert not ({r["Complaint ID"] for r in sample} & (evaluation | blind))
with open("data/flags/cfpb_train_ids.txt", "w") as f:
    for r in sample:
        f.write(r["Complaint ID"] + "\n")
print(len(pool), "+", len(pool2), "in the pools,", len(sample), "sampled")
