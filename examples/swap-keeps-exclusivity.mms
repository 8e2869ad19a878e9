# Swapping a page out and back in does not make it shared: the swap entry
# remembers that the page was exclusive, so the next write needs no copy. A page
# that fork() shared while it was swapped out must be copied.
# kernel-semantics.md 0.3 (exclusive marker of swap PTEs), 2.4, 4.1.
scenario "swap-out and swap-in keep PageAnonExclusive"
policies v6.7 v6.9 rmapid v6.15

P0: mmap B 4K
P0: write B 1
P0: madvise B pageout      # swap PTE with the exclusive marker
P0: fork P1                # fork duplicates the swap entry and clears the marker
P0: write B 2              # P1 still references the swapped page: copy

P0: mmap A 4K              # created after fork(): P1 has no A
P0: write A 1
P0: madvise A pageout      # swap PTE with the exclusive marker
P0: write A 2              # swap-in maps the page exclusive and writable: no copy

expect P0.cow_copies == 1            # B only
expect P0 A.anon_exclusive == true
expect P0 A.writable == true
expect P0 A.swapped == false
expect P0 A.data == 2
expect P0 B.data == 2
expect P1 B.data == 1
expect violations == 0
