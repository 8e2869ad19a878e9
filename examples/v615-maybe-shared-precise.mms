# The same three processes as in v615-maybe-shared-imprecise.mms, exiting in the
# other order: the parent, which owns a v6.15 MM slot, is the survivor, so v6.15
# regains precision and reuses, like rmapid.
# Trace T3 (kernel-semantics.md 3.3): when the untracked mm (P2) unmaps, v6.15
# re-evaluates and finds slot 0 holding every mapping, so it clears the bit.
scenario "v6.15 maybe-mapped-shared regains precision (trace T3)"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro     # PTE-mapped THP: slot 0 = (P0, 512)
P0: mprotect A[1] rw
P0: fork P1              # slot 1 = (P1, 512), shared bit set
P0: fork P2              # untracked
P1: exit                 # slot 1 freed; slot 0 holds 512 of 1024: bit stays set
P2: exit                 # untracked mm unmapped: slot 0 == 512 == mapcount, bit cleared
P0: write A[0..4] 2

expect P0.pgreuse == 4 for rmapid v6.15
expect P0.cow_copies == 0 for rmapid v6.15
expect P0.cow_copies == 4 for v6.7 v6.9
expect P0.pgreuse == 0 for v6.7 v6.9
expect P0 A[0..4].order == 9 for rmapid v6.15
expect P0 A[0..4].order == 0 for v6.7 v6.9
expect P0 A[0..4].data == 2
expect violations == 0
