# After the child exits the parent rewrites its whole PTE-mapped THP: v6.9 copies
# all 512 pages, v6.7 copies 511 and then keeps the whole 2 MiB THP for the last
# page, rmapid and v6.15 reuse every page and allocate nothing.
# kernel-semantics.md 7.3 "expected per-scenario deltas", the cover letter's
# "COW-reuse memset (child gone)" benchmark.
scenario "pte-mapped THP: memset after the child exited"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro          # PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1
P1: exit
P0: write A 2                 # 512 write faults

expect P0.pgfault == 513                     # the THP fault and 512 write faults
expect P0.cow_copies == 511 for v6.7         # the last page is alone: refcount 1, reused
expect P0.cow_copies == 512 for v6.9
expect P0.cow_copies == 0 for rmapid v6.15
expect P0.pgreuse == 1 for v6.7
expect P0.pgreuse == 0 for v6.9
expect P0.pgreuse == 512 for rmapid v6.15
expect P0 A[..511].order == 0 for v6.7 v6.9
expect P0 A[511].order == 9 for v6.7        # the whole 2 MiB THP kept for one page
expect P0 A[511].order == 0 for v6.9        # the THP was freed after the last copy
expect P0 A.order == 9 for rmapid v6.15
# The first copy leaves the THP partially mapped: queued for deferred split
# (kernel-semantics.md 5.2). Reusing policies never unmap a page of it.
expect thp_deferred_split_page == 1 for v6.7 v6.9
expect thp_deferred_split_page == 0 for rmapid v6.15
# Memory in use: v6.7 2M THP + 511 small pages; the others 2M in all.
expect mem.used == 4190208 for v6.7
expect mem.used == 2M for v6.9 rmapid v6.15
expect P0 A.data == 2
expect P0 A.writable == true
expect violations == 0
