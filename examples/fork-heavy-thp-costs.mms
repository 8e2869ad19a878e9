# A parent with 64 MiB of THP memory forks four short-lived children (as a
# database does for snapshots) and keeps writing: this shows how many pages each
# policy copies, and how much memory it ends up using.
#
# Each round forks a child, the child writes one page of THP r and exits, and the
# parent writes THP r twice: 8 pages while the child lives, 32 pages after it is
# gone. At the end the parent rewrites all its memory once.
#
# Derivation (kernel-semantics.md 2.2, 2.3, 3.5, 4.3), per round r = 0..3:
# - the child's write splits the child's PMD of THP r and copies 1 page (all);
# - the parent's 8 writes split the parent's PMD and copy 8 pages (all: the
#   child still maps the THP);
# - after the exit the parent maps 504 pages of THP r alone: the 32 writes copy
#   under v6.7 (refcount 504 > 1) and v6.9, reuse under rmapid and v6.15.
# Later forks make every page of THP r read-only and not PageAnonExclusive
# again, so the final memset faults on all 512 pages of THPs 0..2 and on the 472
# untouched pages of THP 3: the small copies are reused (refcount 1); the pages
# still in the THP are copied by v6.9 (v6.7 reuses the last one, at refcount 1)
# and reused by rmapid/v6.15. The 28 THPs no child wrote stay PMD-mapped and are
# reused whole at PMD level, which counts neither a copy nor a pgreuse.
scenario "fork-heavy THP workload: what each policy copies"
policies v6.7 v6.9 rmapid v6.15
thp 2M=always

P0: mmap A 64M
P0: madvise A hugepage
P0: write A 1                 # 32 faults, 32 PMD-mapped THPs

P0: fork C0                   # round 0: THP 0 = pages 0..511
C0: write A[0] 2
P0: write A[1..9] 3
C0: exit
P0: write A[9..41] 3

P0: fork C1                   # round 1: THP 1 = pages 512..1023
C1: write A[512] 2
P0: write A[513..521] 3
C1: exit
P0: write A[521..553] 3

P0: fork C2                   # round 2: THP 2 = pages 1024..1535
C2: write A[1024] 2
P0: write A[1025..1033] 3
C2: exit
P0: write A[1033..1065] 3

P0: fork C3                   # round 3: THP 3 = pages 1536..2047
C3: write A[1536] 2
P0: write A[1537..1545] 3
C3: exit
P0: write A[1545..1577] 3

P0: write A 4                 # rewrite everything

expect thp_fault_alloc == 32
expect thp_split_pmd == 8                    # two per round: the child's and the parent's
# Copies by the parent: 4 x (8 + 32) in the rounds, then per THP 0..3 the 472
# pages still in it (v6.7: 471 + 1 reuse); rmapid/v6.15 only the 4 x 8.
expect P0.cow_copies == 2044 for v6.7
expect P0.cow_copies == 2048 for v6.9
expect P0.cow_copies == 32 for rmapid v6.15
# Reuses: v6.9 the 3 x 40 small copies of THPs 0..2; v6.7 also 4 last pages;
# rmapid/v6.15 4 x 32 in the rounds + 3 x 512 + 472 in the memset.
expect P0.pgreuse == 124 for v6.7
expect P0.pgreuse == 120 for v6.9
expect P0.pgreuse == 2136 for rmapid v6.15
# All copies, the children's 4 included.
expect cow_copies == 2048 for v6.7
expect cow_copies == 2052 for v6.9
expect cow_copies == 36 for rmapid v6.15
# Memory at the end: 28 THPs + THPs 0..3 as 2048 small pages (v6.9), or each
# kept whole for its last page plus 511 small pages (v6.7), or still there with
# 8 small copies each (rmapid/v6.15).
expect mem.used == 64M for v6.9
expect mem.used == 75481088 for v6.7
expect mem.used == 67239936 for rmapid v6.15
expect P0.anon_huge == 56M                   # the 28 THPs no child wrote are still PMD-mapped
expect P0.rss == 64M
expect P0 A.data == 4
expect violations == 0
