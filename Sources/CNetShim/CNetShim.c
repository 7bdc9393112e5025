#define _GNU_SOURCE
#include <stddef.h>
#include <malloc.h>
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
