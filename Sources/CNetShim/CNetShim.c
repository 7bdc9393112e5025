#define _GNU_SOURCE
#include <stddef.h>
#include <malloc.h>
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include "CNetShim.h"

_Static_assert(sizeof(cns_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr size");
_Static_assert(offsetof(cns_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "msg_len offset");

int cns_recvmmsg(int fd, cns_mmsghdr *vector, unsigned int count) {
    return recvmmsg(fd, (struct mmsghdr *)vector, count, MSG_DONTWAIT, NULL);
}

int cns_sendmmsg(int fd, cns_mmsghdr *vector, unsigned int count) {
    return sendmmsg(fd, (struct mmsghdr *)vector, count, MSG_DONTWAIT);
}

int cns_malloc_trim(void) {
    return malloc_trim(0);
}

int cns_signalfd(const sigset_t *mask) {
    return signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

int cns_read_signal(int fd) {
    struct signalfd_siginfo info;
    ssize_t count = read(fd, &info, sizeof info);
    return count == (ssize_t)sizeof info ? (int)info.ssi_signo : -1;
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

int cns_collapse_huge_pages(const void *start, size_t length) {
    const uintptr_t huge = 2u << 20;
    uintptr_t first = ((uintptr_t)start + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)start + length) & ~(huge - 1);
    if (end <= first) {
        errno = EINVAL;
        return -1;
    }
    if (madvise((void *)first, end - first, MADV_HUGEPAGE) != 0) {
        return -1;
    }
    return madvise((void *)first, end - first, MADV_COLLAPSE);
}
