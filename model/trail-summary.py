#!/usr/bin/env python3
"""Summarises a spin error trail of model/compensa.pml for a person: the crash points the trail
passed, the invariant it broke, the journal as records, and the world, the store and the outcomes
at the end. Reads the output of `spin -t -g compensa.pml` on stdin."""
import re
import sys

TYPES = {1: "intent", 2: "succeeded", 3: "failed", 4: "hook-failure", 5: "state",
         6: "outcome", 7: "finalized", 8: "complete"}
CALLS = {0: "", 1: "forward", 2: "Read (recover)", 3: "inverse (compensation)",
         4: "Compensate", 5: "Read (confirm compensation)", 6: "FinalizeApply",
         7: "Read back: Create"}
STATUS = {1: "SUCCESS", 2: "ERROR", 3: "DELETE_FAILED", 4: "COMPENSATED",
          5: "COMPENSATION_FAILED", 6: "SKIPPED"}


def objects(bits):
    names = [n for b, n in ((1, "init"), (2, "fwd"), (4, "comp"), (8, "rogue")) if bits & b]
    return "{" + ",".join(names) + "}"


def main():
    text = sys.stdin.read()
    for line in text.splitlines():
        line = " ".join(line.split())
        if line.startswith("CRASH AT:") or line.startswith("INVARIANT BROKEN:"):
            print("  " + line)
    values = {}
    for name, index, value in re.findall(r"^\s+(\w+)(?:\[(\d+)\])? = (-?\d+)$", text, re.M):
        values[(name, int(index) if index else None)] = int(value)
    jl = 24
    m = re.search(r"^\s+jt\[(\d+)\]", text, re.M)
    size = max((i for (n, i) in values if n == "jt"), default=71) + 1
    jl = size // 3
    for lane, who in ((0, "action 0"), (1, "action 1"), (2, "apply")):
        jlen = values.get(("jlen", lane), 0)
        jforced = values.get(("jforced", lane), 0)
        print(f"  journal lane {lane} ({who}): {jlen} records, {jforced} forced")
        for k in range(jlen):
            i = lane * jl + k
            t, c, v = (values.get((n, i), 0) for n in ("jt", "jc", "jv"))
            if t == 5:
                detail = f"record {objects(v)}"
            elif t == 6:
                detail = f"{STATUS.get(v // 16, v // 16)} record {objects(v % 16)}"
            elif t in (1, 2, 3):
                detail = str(CALLS.get(c, c)) + (f" output {objects(v)}" if t == 2 and v else "")
            else:
                detail = ""
            print(f"    {k:2} {TYPES.get(t, t):12} {detail}")
    for r in (0, 1):
        print(f"  resource {r}: world {objects(values.get(('world', r), 0))}, "
              f"store {objects(values.get(('store', r), 0))}, "
              f"outcome {STATUS.get(values.get(('storeOut', r), 0), 'none')}")


if __name__ == "__main__":
    main()
