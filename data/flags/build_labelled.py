"""Build flags_labelled.csv from the hand labels (deterministic).

Inputs: cfpb_labels.tsv (evaluation sample) and cfpb_blind_labels.tsv (second, blind sample):
        complaint id + labels; the text is read from the CFPB CSV,
        ombud_tickets.tsv (short tickets written for Ombud, en/de/sv).
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
