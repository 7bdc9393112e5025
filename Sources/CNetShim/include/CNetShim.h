#ifndef CNETSHIM_H
#define CNETSHIM_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

/// One entry of a recvmmsg/sendmmsg batch, laid out exactly as glibc's
/// `struct mmsghdr` (checked by a static assertion in CNetShim.c).
typedef struct cns_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} cns_mmsghdr;

/// Calls recvmmsg(2) with MSG_DONTWAIT. Returns the number of datagrams or -1 with errno set.
int cns_recvmmsg(int fd, cns_mmsghdr *vector, unsigned int count);

/// Calls sendmmsg(2) with MSG_DONTWAIT. Returns the number of datagrams sent or -1 with errno set.
int cns_sendmmsg(int fd, cns_mmsghdr *vector, unsigned int count);

#include <signal.h>

/// Opens a non-blocking, close-on-exec signalfd(2) for `mask`. Returns the descriptor or -1.
int cns_signalfd(const sigset_t *mask);

/// Reads one signal from a signalfd. Returns its number, or -1 when none is pending.
int cns_read_signal(int fd);

/// Calls malloc_trim(0): returns freed heap memory to the kernel. Returns 1 if any was returned.
int cns_malloc_trim(void);

/// Asks the kernel to back the whole 2 MiB pages inside [start, start + length) with
/// transparent huge pages now (madvise MADV_HUGEPAGE, then MADV_COLLAPSE, Linux 6.1 and
/// later). The memory must be anonymous and already written. Returns 0, or -1 with errno set
/// when the range contains no whole huge page or the kernel rejected the request.
int cns_collapse_huge_pages(const void *start, size_t length);

/// Starts loading the cache line at `address` without waiting for it.
static inline void cns_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
