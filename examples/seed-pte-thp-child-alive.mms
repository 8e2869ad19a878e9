# While the child is alive it still maps every page of the THP, so when the parent
# writes one page every policy must copy it: reusing would let the child see the
# parent's write.
# The seed patch's story with the child alive (kernel-semantics.md 3.7, trace T2).
scenario "pte-mapped THP: parent writes while the child is alive"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1               # one fault: a PMD-mapped THP
P0: mprotect A[1] ro        # splits the PMD: A is now a PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1                 # 1024 mappings of the 512-page THP
P0: write A[5] 2            # rmapid: mapcount 1024 > 512; v6.15: shared bit set

expect P0.cow_copies == 1
expect P0.pgreuse == 0
expect P0 A[5].order == 0               # the parent's copy is a small page
expect P1 A[5].order == 9               # the child keeps the THP page
expect P0 A[5].data == 2
expect P1 A[5].data == 1                # no leak from parent into child
expect P0 A[6].writable == false        # the other pages stay shared and read-only
expect P0 A[6].exclusive == false       # pagemap bit 56: page 6 is mapped twice
expect P1 A[5].exclusive == true        # only the child maps page 5 now ...
expect P1 A[5].anon_exclusive == false  # ... but it is not PageAnonExclusive
expect P1 A[5].writable == false        # so the child's own write would still fault
expect mem.used == 2101248              # the THP and one 4K copy
# After the copy (trace T2): 1023 mappings and 1023 references left.
expect P1 A[5].mapcount == 1023
expect P1 A[5].refcount == 1023
expect violations == 0
