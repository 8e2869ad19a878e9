# After fork() the child throws away parts of its view of a THP: the THP stays
# shared as long as the child maps any page of it, even pages the child no longer
# maps must be copied, and only rmapid and v6.15 notice when the parent is alone.
# Who may reuse: the decision is per folio, not per page. While two mms map the
# folio (rmapid: mapcount > 512 or rmap values not all P0's; v6.15: shared bit
# set while both MM slots are in use), no policy reuses. When the child's last
# mapping goes, rmapid's exact test and v6.15's slot re-evaluation both see P0
# alone; v6.7 still needs refcount 1 and v6.9 never reuses a large folio.
scenario "pte-mapped THP partially unmapped in the child"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro          # PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1                   # 1024 mappings
P1: munmap A[256..]           # the child drops the upper half of its view ...
P1: madvise A[..128] dontneed # ... and the first quarter: it maps pages 128..255 only
P0: write A[300] 2            # only P0 maps page 300, but the folio has 640 mappings: all copy
P1: write A[128..256] 3       # the child copies every page it still maps (128 copies)
P0: write A[400] 4            # P0 alone maps the folio (511 mappings): reuse or copy?

expect P0.cow_copies == 2 for v6.7 v6.9     # v6.7: refcount 511, not 1
expect P0.cow_copies == 1 for rmapid v6.15
expect P0.pgreuse == 0 for v6.7 v6.9
expect P0.pgreuse == 1 for rmapid v6.15
# Even the child's last page is copied: 512 mappings, but 511 of them are P0's.
expect P1.cow_copies == 128
expect P1.pgreuse == 0
expect P0 A[400].order == 0 for v6.7 v6.9
expect P0 A[400].order == 9 for rmapid v6.15
expect P0 A[401].mapcount == 510 for v6.7 v6.9   # pages 300 and 400 were copied away
expect P0 A[401].mapcount == 511 for rmapid v6.15
expect P0 A[300].data == 2
expect P0 A[400].data == 4
expect P0 A[128..256].data == 1               # the child's writes stay in the child
expect P1 A[128..256].data == 3
expect violations == 0
