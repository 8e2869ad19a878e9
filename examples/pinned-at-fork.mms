# A page pinned for DMA (like an io_uring buffer) is never shared by fork(): the
# child gets its own copy at once, so the device and the parent keep using the
# same page and the parent writes without any fault.
# Trace T5 (kernel-semantics.md 4.1): folio_try_dup_anon_rmap refuses to share a
# maybe-pinned PageAnonExclusive page, and copy_present_page copies it.
scenario "pinned PTE-mapped THP at fork() (trace T5)"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1
P0: mprotect A[1] ro       # PTE-mapped THP, every page PageAnonExclusive
P0: mprotect A[1] rw
P0: pin A rw as Dma        # FOLL_PIN|FOLL_LONGTERM: pincount 512, MMF_HAS_PINNED
P0: fork P1                # 512 pages copied for the child at fork
P0: write A 2              # the parent's PTEs stayed writable: no fault

expect P1 A.order == 0
expect P1 A.anon_exclusive == true
expect P1 A.writable == true
expect P0 A.order == 9
expect P0 A.anon_exclusive == true
expect P0 A.writable == true
expect P0 A.pfn != P1 A.pfn
expect P0 A[0].mapcount == 512
expect P0 A[0].refcount == 1024      # 512 mappings + one pin reference per page
expect P0.pgfault == 1               # only the THP fault
expect P0.cow_copies == 0
expect P0 A.data == 2
expect P1 A.data == 1
expect violations == 0
