# mprotect() makes a page writable again without a fault only when the page is
# known to be exclusive (PageAnonExclusive); a page fork() shared stays read-only
# until a write fault decides, even after the child has exited.
# kernel-semantics.md 2.7 (change_pte_range write upgrade) and 2.4.
scenario "mprotect() write upgrade only for PageAnonExclusive pages"
policies v6.7 v6.9 rmapid v6.15

P0: mmap A 12K
P0: write A 1
P0: fork P1                # the 3 pages are shared read-only
P0: write A[1] 2           # the parent copies page 1: the copy is PageAnonExclusive
P1: exit                   # pages 0 and 2 are mapped once, but not PageAnonExclusive
P0: mprotect A ro
P0: mprotect A rw          # only page 1 becomes writable
P0: write A[2] 3           # page 2: write fault, refcount 1: reused

expect P0 A[0].writable == false
expect P0 A[0].anon_exclusive == false
expect P0 A[0].exclusive == true     # pagemap: mapped once, yet not PageAnonExclusive
expect P0 A[1].writable == true
expect P0 A[1].anon_exclusive == true
expect P0 A[2].writable == true
expect P0.cow_copies == 1
expect P0.pgreuse == 1
expect P0 A[0].data == 1
expect P0 A[1].data == 2
expect P0 A[2].data == 3
expect violations == 0
