"""Build flags_labelled.csv from the hand labels (deterministic).

Inputs: cfpb_labels.tsv (evaluation sample) and cfpb_blind_labels.tsv (second, blind sample):
        complaint id + labels; the text is read from the CFPB CSV,
        ombud_tickets.tsv (short tickets written for Ombud, en/de/sv).
Also writes flags_train_extra.csv (same columns), extra *training* rows for the flag model:
        cfpb_train_labels.tsv (100 dev narratives, sample_cfpb_train.py) -> source cfpb_train:<id>,
        written_tickets.tsv (hand-written tickets, 11 languages) -> source written:<lang>.
Usage:  python3 data/flags/build_labelled.py CFPB_CSV
"""
import csv
import sys

here = "data/flags/"
cfpb = {r["Complaint ID"]: r["Consumer complaint narrative"]
        for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
flags = ["human_requested", "vulnerability", "formal_complaint", "legal_threat"]
out = csv.writer(open(here + "flags_labelled.csv", "w", newline="", encoding="utf-8"), lineterminator="\n")
out.writerow(["text"] + flags + ["source"])
n = 0
for name, tag in [("cfpb_labels.tsv", "cfpb_eval:"), ("cfpb_blind_labels.tsv", "cfpb_blind:")]:
    for r in csv.DictReader(open(here + name, encoding="utf-8"), delimiter="\t"):
        out.writerow([cfpb[r["complaint_id"]]] + [r[f] for f in flags] + [tag + r["complaint_id"]])
        n += 1
m = 0
for r in csv.DictReader(open(here + "ombud_tickets.tsv", encoding="utf-8"), delimiter="\t"):
    out.writerow([r["text"].strip(), r["h"], r["v"], r["f"], r["l"], "ombud:" + r["lang"]])
    m += 1
print(n, "cfpb rows,", m, "ombud rows")

blind = set(open(here + "cfpb_blind_ids.txt").read().split())
evaluation = set(open(here + "cfpb_eval_ids.txt").read().split())
extra = csv.writer(open(here + "flags_train_extra.csv", "w", newline="", encoding="utf-8"), lineterminator="\n")
extra.writerow(["text"] + flags + ["source"])
k = 0
for r in csv.DictReader(open(here + "cfpb_train_labels.tsv", encoding="utf-8"), delimiter="\t"):
    # Training rows must never come from the blind or evaluation samples.
    assert r["complaint_id"] not in blind and r["complaint_id"] not in evaluation, r["complaint_id"]
    extra.writerow([cfpb[r["complaint_id"]]] + [r[f] for f in flags] + ["cfpb_train:" + r["complaint_id"]])
    k += 1
w = 0
for r in csv.DictReader(open(here + "written_tickets.tsv", encoding="utf-8"), delimiter="\t"):
    extra.writerow([r["text"].strip(), r["h"], r["v"], r["f"], r["l"], "written:" + r["lang"]])
    w += 1
print(k, "cfpb_train rows,", w, "written rows (flags_train_extra.csv)")
