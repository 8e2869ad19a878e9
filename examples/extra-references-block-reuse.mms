# A folio's refcount counts every reference, its mapcount only page-table
# mappings: a vmsplice() pipe adds references without mappings, and as long as
# it holds them even the newest policies copy instead of reusing.
# kernel-semantics.md 1.8 step 4, 3.5 step 5 and the "extra ref" row of 3.7:
# reuse needs refcount == mapcount, so no one else can reach the page.
scenario "extra references block reuse"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro       # PTE-mapped THP: refcount 512, mapcount 512
P0: mprotect A[1] rw
P0: fork P1                # refcount 1024, mapcount 1024
P1: vmsplice A[0..4] as Pipe   # four FOLL_GET references: refcount 1028
P1: munmap A               # only P0 maps the THP now: refcount 516, mapcount 512
P0: write A[10] 2          # refcount 516 != mapcount 512: every policy copies
P1: close Pipe             # the pipe's references go: refcount 511 == mapcount 511
P0: write A[11] 3          # now rmapid and v6.15 reuse

expect P0.cow_copies == 2 for v6.7 v6.9
expect P0.cow_copies == 1 for rmapid v6.15
expect P0.pgreuse == 0 for v6.7 v6.9
expect P0.pgreuse == 1 for rmapid v6.15
expect P0 A[12].refcount == 510 for v6.7 v6.9   # pages 10 and 11 were copied away
expect P0 A[12].refcount == 511 for rmapid v6.15
expect P0 A[12].mapcount == 510 for v6.7 v6.9
expect P0 A[12].mapcount == 511 for rmapid v6.15
expect P0 A[11].order == 0 for v6.7 v6.9
expect P0 A[11].order == 9 for rmapid v6.15
expect P0 A[10].data == 2
expect P0 A[11].data == 3
expect violations == 0      # and the pipe still holds the original bytes
