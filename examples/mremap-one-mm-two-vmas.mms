# One process can map a THP through two different address ranges (here after
# mremap() moved half of it); after fork() and the child's exit, rmapid and v6.15
# still see that every mapping belongs to that one process and reuse the pages.
# The cover letter's motivation (d): folios mapped by several page tables of one
# mm. Per-page mapcounts cannot tell this apart from sharing; rmap IDs
# (kernel-semantics.md 1.7) and v6.15's MM slots (3.3) can.
scenario "THP mapped through two VMAs of one mm"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1               # PMD-mapped THP
P0: mremap A[256..] B       # the second half moves to an unaligned address: PMD split
P0: fork P1                 # 1024 mappings
P1: exit                    # 512 mappings, all P0's, in two VMAs
P0: write A[0] 2
P0: write B[0] 3

expect P0.cow_copies == 2 for v6.7 v6.9      # refcount 512 / a large folio
expect P0.cow_copies == 0 for rmapid v6.15
expect P0.pgreuse == 0 for v6.7 v6.9
expect P0.pgreuse == 2 for rmapid v6.15      # rmap values == 512 x subid(P0); slot 0 holds all 512
expect P0 A[0].order == 0 for v6.7 v6.9
expect P0 A[0].order == 9 for rmapid v6.15
expect P0 B[0].order == 0 for v6.7 v6.9
expect P0 B[0].order == 9 for rmapid v6.15
expect P0 A[1].mapcount == 510 for v6.7 v6.9
expect P0 A[1].mapcount == 512 for rmapid v6.15
expect thp_split_pmd == 1
expect P0 A[0].data == 2
expect P0 B[0].data == 3
expect P0 B[1].data == 1
expect violations == 0
