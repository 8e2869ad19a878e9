# After fork() the child exits and the parent writes one page of a PTE-mapped THP:
# nobody else maps the THP any more, yet v6.7 and v6.9 copy the page; rmapid and
# v6.15 see that the parent is alone and reuse it.
# The seed patch's story (kernel-semantics.md 1.8, 3.5, trace T1) and the example
# of scenario-language.md, with the same steps and expectations.
scenario "pte-mapped THP reuse after child exit"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A                 # one fault: a PMD-mapped THP
P0: mprotect A[1] ro        # splits the PMD: A is now a PTE-mapped THP
P0: mprotect A[1] rw
P0: fork P1                 # all 512 PTEs read-only, PageAnonExclusive cleared
P1: exit                    # the THP is mapped by P0 only, but its pages stay read-only
P0: write A[5]

expect P0.cow_copies == 1 for v6.7 v6.9
expect P0.pgreuse == 1 for rmapid v6.15
expect P0 A[5].order == 0 for v6.7 v6.9     # the copy is a small page
expect P0 A[5].order == 9 for rmapid v6.15
expect violations == 0

# v6.7: a large folio is reused only at refcount 1 (here 512); v6.9: never.
expect P0.pgreuse == 0 for v6.7 v6.9
# rmapid: mapcount 512 <= 512 pages, refcount == mapcount and every mapping is
# P0's; v6.15: P1's MM slot was freed at exit, so the shared bit is clear.
expect P0.cow_copies == 0 for rmapid v6.15
expect P0.pgfault == 2                       # the THP fault and the write fault
expect thp_fault_alloc == 1
expect thp_split_pmd == 1
# Only the faulting page is reused or replaced: it becomes PageAnonExclusive and
# writable, the other 511 PTEs stay read-only until their own write faults.
expect P0 A[5].writable == true
expect P0 A[5].anon_exclusive == true
expect P0 A[6].writable == false
expect P0 A[6].anon_exclusive == false
expect P0 A[6].exclusive == true             # pagemap bit 56: mapped once, yet not PageAnonExclusive
expect P0 A[5].data != P0 A[6].data          # the write changed page 5 only
# The THP after the fault: 511 mappings when page 5 was copied away, 512 when reused.
expect P0 A[6].mapcount == 511 for v6.7 v6.9
expect P0 A[6].mapcount == 512 for rmapid v6.15
expect P0 A[6].refcount == 511 for v6.7 v6.9
expect P0 A[6].refcount == 512 for rmapid v6.15
