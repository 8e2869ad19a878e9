# Three processes share a THP. After the parent and the first child exit, the
# last child is its only user, yet v6.15 still calls the THP "maybe mapped shared"
# and copies on every write, while rmapid sees that it is exclusive and reuses.
# Trace T3 (kernel-semantics.md 3.3, 3.7): v6.15 tracks two MMs per folio; a
# third mm is "untracked", and once both tracked MMs are gone no slot can match
# the remaining mapcount, so the bit stays set until the folio is fully unmapped.
# The same processes exiting in the other order: v615-maybe-shared-precise.mms.
scenario "v6.15 maybe-mapped-shared is imprecise with three mms (trace T3)"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1            # v6.15 slot 0 = (P0, 1 PMD mapping)
P0: mprotect A[1] ro     # PMD split: slot 0 = (P0, 512)
P0: mprotect A[1] rw
P0: fork P1              # slot 1 = (P1, 512), shared bit set
P0: fork P2              # both slots taken: P2 is untracked; 1536 mappings
P0: exit                 # slot 0 freed; slot 1 holds 512 of 1024: bit stays set
P1: exit                 # slot 1 freed; no slot holds the 512 left: bit stays set
P2: write A[0..4] 2      # P2 alone maps the THP

expect P2.cow_copies == 4 for v6.15          # COPY_MAYBE_SHARED_BIT
expect P2.pgreuse == 0 for v6.15
expect P2.pgreuse == 4 for rmapid            # rmap values == 512 x subid(P2): all mappings are P2's
expect P2.cow_copies == 0 for rmapid
expect P2.cow_copies == 4 for v6.7 v6.9      # legacy: a large folio at refcount 512 is copied
expect P2 A[0..4].order == 0 for v6.7 v6.9 v6.15
expect P2 A[0..4].order == 9 for rmapid
expect P2 A[0..4].data == 2
expect P2 A[4..].data == 1
expect violations == 0
