# Classic copy-on-write: after fork() parent and child share a 4 KiB page
# read-only; the first one to write gets a copy, and the one left alone reuses
# the original page without copying.
# kernel-semantics.md 2.2 (do_wp_page, small folio) and 2.4 (PageAnonExclusive).
scenario "base page COW after fork()"
policies v6.7 v6.9 rmapid v6.15

P0: mmap A 4K
P0: write A 1          # first touch: a new page, PageAnonExclusive and writable
P0: fork P1            # both map it read-only; fork clears PageAnonExclusive
P0: write A 2          # refcount 2: the parent gets a copy
P1: write A 3          # refcount 1 now: the child reuses the original page

expect P0.cow_copies == 1
expect P0.pgreuse == 0
expect P1.cow_copies == 0
expect P1.pgreuse == 1
expect pgfault == 3
expect P0 A.pfn != P1 A.pfn
expect P0 A.anon_exclusive == true
expect P1 A.anon_exclusive == true
expect P0 A.order == 0
expect P0 A.data == 2
expect P1 A.data == 3
expect violations == 0
