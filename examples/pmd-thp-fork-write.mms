# Writing one byte to a 2 MiB THP that fork() shared does not copy 2 MiB: the
# kernel splits the writer's PMD into 512 page-table entries and copies only the
# 4 KiB page that was written.
# kernel-semantics.md 2.3 (do_huge_pmd_wp_page fallback) and 4.3: the same in
# every policy.
scenario "PMD-mapped THP: fork(), then write one page"
policies v6.7 v6.9 rmapid v6.15
thp 2M=madvise

P0: mmap A 2M
P0: madvise A hugepage
P0: write A 1          # one fault maps a 2M THP with one PMD
P0: fork P1            # both PMDs read-only: refcount 2, entire mapcount 2
P0: write A[0] 2       # cannot reuse: split P0's PMD, then copy one 4K page

expect thp_fault_alloc == 1
expect thp_split_pmd == 1
expect P0.cow_copies == 1
expect P0.pgreuse == 0
expect P0 A[0].order == 0            # the copy
expect P0 A[1..].order == 9          # the rest still maps the THP, now by PTEs
expect P0 A.pmd_mapped == false
expect P1 A.pmd_mapped == true       # the child's PMD is untouched
expect P1 A[1].mapcount == 512       # the child's PMD + the parent's 511 PTEs
expect P1 A[1].refcount == 512
expect P0.anon_huge == 0             # AnonHugePages counts PMD mappings only
expect P1.anon_huge == 2M
expect P0 A[0].data == 2
expect P1 A.data == 1
expect violations == 0
