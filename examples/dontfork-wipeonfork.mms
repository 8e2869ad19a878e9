# MADV_DONTFORK keeps a mapping out of the child and MADV_WIPEONFORK gives the
# child an empty one, so neither is shared by fork() and the parent writes them
# without copying; an ordinary mapping is shared and copied.
# kernel-semantics.md 4.1: VM_DONTCOPY VMAs are not copied; VM_WIPEONFORK VMAs
# are created empty in the child; the parent's page tables stay untouched.
scenario "MADV_DONTFORK and MADV_WIPEONFORK"
policies v6.7 v6.9 rmapid v6.15

P0: mmap A 4K
P0: mmap B 4K
P0: mmap C 4K
P0: write A 1
P0: write B 1
P0: write C 1
P0: madvise A dontfork     # the child has no A at all
P0: madvise B wipeonfork   # the child's B is empty
P0: fork P1
P1: read B                 # zeroes
P0: write A 2              # still exclusive and writable: no fault
P0: write B 2              # likewise
P0: write C 2              # C is shared with the child: copy

expect P0.pgfault == 4               # three first touches and C's copy
expect P0.cow_copies == 1
expect P0 A.anon_exclusive == true
expect P0 B.anon_exclusive == true
expect P1 B.data == 0
expect P1 C.data == 1
expect P1 C.writable == false        # the child's C is the original page: read-only until it writes
expect P1 C.anon_exclusive == false
expect P0 A.data == 2
expect P0 B.data == 2
expect P0 C.data == 2
expect violations == 0
