/*
 * bench-ceiling: a bare UDP DNS responder that sets the throughput ceiling
 * for scripts/bench.
 *
 * Each worker thread owns one SO_REUSEPORT socket on 127.0.0.1:PORT, reads
 * batches with recvmmsg and sends the responses to a batch with one sendmmsg. The
 * response copies the header and question, sets QR and AA, drops any
 * additional records (EDNS included), and for a question of type A adds one
 * A record (127.0.0.1, TTL 3600) whose owner is a compression pointer to the
 * question name. Other types get NOERROR with no answer. There is no zone,
 * no name lookup and no TCP, so the numbers show what the kernel and the
 * load generator allow, not what a real server could reach.
 *
 * Build: cc -O2 -pthread -o bench-ceiling scripts/bench-ceiling.c
 * Usage: bench-ceiling PORT [WORKERS]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define MAX_DATAGRAM 512
#define DNS_HEADER_SIZE 12
#define A_RECORD_SIZE 16 /* pointer 2 + type 2 + class 2 + TTL 4 + length 2 + address 4 */

static uint16_t listen_port;

/* Return the offset just past the question section, or 0 when the query is malformed. */
static size_t question_end(const uint8_t *packet, size_t length) {
    size_t offset = DNS_HEADER_SIZE;
    while (offset < length) {
        uint8_t label_length = packet[offset];
        if (label_length == 0) {
            offset += 1;
            break;
        }
        if (label_length & 0xC0) {
            return 0; /* A compressed question name never comes from dnsperf. */
        }
        offset += 1 + label_length;
    }
    if (offset + 4 > length) {
        return 0;
    }
    return offset + 4; /* QTYPE and QCLASS */
}

/*
 * Build the response in place over the query and return its length, or 0 to
 * drop the datagram.
 */
static size_t build_response(uint8_t *packet, size_t length) {
    if (length < DNS_HEADER_SIZE || (packet[2] & 0x80) != 0) {
        return 0; /* too short, or already a response */
    }
    if (packet[4] != 0 || packet[5] != 1) {
        return 0; /* QDCOUNT must be 1 */
    }
    size_t end = question_end(packet, length);
    if (end == 0) {
        return 0;
    }
    uint16_t qtype = (uint16_t)((packet[end - 4] << 8) | packet[end - 3]);

    packet[2] = (uint8_t)(0x80 | (packet[2] & 0x79) | 0x04); /* QR, keep opcode and RD, set AA */
    packet[3] = 0;                                           /* RA off, RCODE NOERROR */
    packet[6] = 0;
    packet[7] = 0; /* ANCOUNT */
    packet[8] = packet[9] = packet[10] = packet[11] = 0;

    if (qtype != 1 || end + A_RECORD_SIZE > MAX_DATAGRAM) {
        return end;
    }
    static const uint8_t answer[A_RECORD_SIZE] = {
        0xC0, 0x0C,             /* owner: pointer to the question name */
        0x00, 0x01, 0x00, 0x01, /* type A, class IN */
        0x00, 0x00, 0x0E, 0x10, /* TTL 3600 */
        0x00, 0x04, 127, 0, 0, 1,
    };
    memcpy(packet + end, answer, sizeof answer);
    packet[7] = 1;
    return end + sizeof answer;
}

static int open_socket(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("bench-ceiling: socket");
        exit(1);
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        perror("bench-ceiling: setsockopt SO_REUSEPORT");
        exit(1);
    }
    struct sockaddr_in address = {
        .sin_family = AF_INET,
        .sin_port = htons(listen_port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        fprintf(stderr, "bench-ceiling: bind 127.0.0.1:%u failed: %s (pick a free port)\n",
                listen_port, strerror(errno));
        exit(1);
    }
    return fd;
}

static void *serve(void *argument) {
    int fd = (int)(intptr_t)argument;
    static __thread uint8_t buffers[BATCH][MAX_DATAGRAM];
    struct sockaddr_in peers[BATCH];
    struct iovec vectors[BATCH];
    struct mmsghdr messages[BATCH];
    struct mmsghdr replies[BATCH];

    for (;;) {
        for (int i = 0; i < BATCH; i++) {
            vectors[i].iov_base = buffers[i];
            vectors[i].iov_len = MAX_DATAGRAM;
            memset(&messages[i].msg_hdr, 0, sizeof messages[i].msg_hdr);
            messages[i].msg_hdr.msg_name = &peers[i];
            messages[i].msg_hdr.msg_namelen = sizeof peers[i];
            messages[i].msg_hdr.msg_iov = &vectors[i];
            messages[i].msg_hdr.msg_iovlen = 1;
        }
        /* Block for the first datagram, then take whatever else is queued. */
        int received = recvmmsg(fd, messages, BATCH, MSG_WAITFORONE, NULL);
        if (received < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("bench-ceiling: recvmmsg");
            exit(1);
        }
        int count = 0;
        for (int i = 0; i < received; i++) {
            size_t length = build_response(buffers[i], messages[i].msg_len);
            if (length == 0) {
                continue;
            }
            vectors[i].iov_len = length;
            replies[count] = messages[i];
            count++;
        }
        int sent = 0;
        while (sent < count) {
            int result = sendmmsg(fd, replies + sent, (unsigned)(count - sent), 0);
            if (result < 0) {
                if (errno == EINTR) {
                    continue;
                }
                break; /* A full send buffer drops the rest, as a real server would. */
            }
            sent += result;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s PORT [WORKERS]\n", argv[0]);
        return 2;
    }
    long port = strtol(argv[1], NULL, 10);
    long workers = argc == 3 ? strtol(argv[2], NULL, 10) : 2;
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "bench-ceiling: invalid port '%s': expected 1-65535\n", argv[1]);
        return 2;
    }
    if (workers <= 0 || workers > 64) {
        fprintf(stderr, "bench-ceiling: invalid worker count '%s': expected 1-64\n", argv[2]);
        return 2;
    }
    listen_port = (uint16_t)port;
    signal(SIGPIPE, SIG_IGN);

    pthread_t threads[64];
    for (long i = 0; i < workers; i++) {
        int fd = open_socket();
        if (pthread_create(&threads[i], NULL, serve, (void *)(intptr_t)fd) != 0) {
            fprintf(stderr, "bench-ceiling: pthread_create failed\n");
            return 1;
        }
    }
    fprintf(stderr, "bench-ceiling: serving 127.0.0.1:%ld with %ld workers\n", port, workers);
    for (long i = 0; i < workers; i++) {
        pthread_join(threads[i], NULL);
    }
    return 0;
}
