/*
 * malloc-count: an LD_PRELOAD library that counts heap calls of a process.
 *
 * It interposes malloc, calloc, realloc, reallocarray, free and the aligned
 * allocators (posix_memalign, aligned_alloc, memalign, valloc). Each call
 * increments a counter with a relaxed atomic add and goes on to glibc's own
 * allocator through the exported __libc_* functions, so no dlsym bootstrap is
 * needed.
 * Calls that bypass these symbols are not counted: for example BIND 9 from
 * Debian allocates through jemalloc's own API.
 *
 * Environment:
 *   MALLOC_COUNT_FILE    if set, the counters live in this file (created or
 *                        truncated at start, mapped shared), so another process
 *                        can read them while the program runs. The layout is
 *                        struct malloc_counters below: little-endian uint64_t
 *                        fields on x86-64. The variable is removed from the
 *                        environment at start, so programs that this one
 *                        executes count only in memory.
 *   MALLOC_COUNT_REPORT  the file that receives the totals at exit; stderr when
 *                        unset. A process killed by a signal it does not handle
 *                        writes no report, so read MALLOC_COUNT_FILE instead.
 *
 * Build: cc -O2 -shared -fPIC -o malloc-count.so scripts/malloc-count.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MALLOC_COUNT_MAGIC 0x544e434f4c4c414dULL /* "MALLOCNT" read as little-endian */
#define MALLOC_COUNT_VERSION 1

struct malloc_counters {
    uint64_t magic;
    uint64_t version;
    uint64_t malloc_calls;
    uint64_t calloc_calls;
    uint64_t realloc_calls; /* realloc and reallocarray */
    uint64_t free_calls;    /* free(NULL) included */
    uint64_t aligned_calls; /* posix_memalign, aligned_alloc, memalign, valloc */
    uint64_t bytes_requested;
};

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

static struct malloc_counters static_counters = {MALLOC_COUNT_MAGIC, MALLOC_COUNT_VERSION, 0, 0, 0, 0, 0, 0};
static struct malloc_counters *active_counters = &static_counters;

static inline struct malloc_counters *counters(void) {
    return __atomic_load_n(&active_counters, __ATOMIC_ACQUIRE);
}

static inline void count(uint64_t *field, uint64_t bytes) {
    __atomic_fetch_add(field, 1, __ATOMIC_RELAXED);
    if (bytes != 0) {
        __atomic_fetch_add(&counters()->bytes_requested, bytes, __ATOMIC_RELAXED);
    }
}

void *malloc(size_t size) {
    count(&counters()->malloc_calls, size);
    return __libc_malloc(size);
}

void *calloc(size_t count_of_elements, size_t size) {
    count(&counters()->calloc_calls, count_of_elements * size);
    return __libc_calloc(count_of_elements, size);
}

void *realloc(void *pointer, size_t size) {
    count(&counters()->realloc_calls, size);
    return __libc_realloc(pointer, size);
}

void *reallocarray(void *pointer, size_t count_of_elements, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(count_of_elements, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    count(&counters()->realloc_calls, total);
    return __libc_realloc(pointer, total);
}

void free(void *pointer) {
    count(&counters()->free_calls, 0);
    __libc_free(pointer);
}

static int is_power_of_two(size_t value) {
    return value != 0 && (value & (value - 1)) == 0;
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    count(&counters()->aligned_calls, size);
    if (!is_power_of_two(alignment) || alignment % sizeof(void *) != 0) {
        return EINVAL;
    }
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) {
        return ENOMEM;
    }
    *result = pointer;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    count(&counters()->aligned_calls, size);
    if (!is_power_of_two(alignment)) {
        errno = EINVAL;
        return NULL;
    }
    return __libc_memalign(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
    count(&counters()->aligned_calls, size);
    return __libc_memalign(alignment, size);
}

void *valloc(size_t size) {
    count(&counters()->aligned_calls, size);
    return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

/* Move the counters into the shared file so that a benchmark can read them live. */
__attribute__((constructor)) static void map_counter_file(void) {
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (path == NULL || *path == '\0') {
        return;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, sizeof(struct malloc_counters)) != 0) {
        fprintf(stderr, "malloc-count: cannot create MALLOC_COUNT_FILE %s: %s; counting in memory only\n",
                path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return;
    }
    void *mapping = mmap(NULL, sizeof(struct malloc_counters), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (mapping == MAP_FAILED) {
        fprintf(stderr, "malloc-count: mmap of %s failed: %s; counting in memory only\n", path, strerror(errno));
        return;
    }
    /* The constructor runs before the program starts threads, so this copy races with nothing. */
    memcpy(mapping, &static_counters, sizeof static_counters);
    __atomic_store_n(&active_counters, (struct malloc_counters *)mapping, __ATOMIC_RELEASE);

    /* A child that executes another program would truncate the file and reset these counters. */
    unsetenv("MALLOC_COUNT_FILE");
}

__attribute__((destructor)) static void report_totals(void) {
    struct malloc_counters *c = counters();
    char line[256];
    int length = snprintf(line, sizeof line,
                          "malloc-count: pid %ld malloc %llu calloc %llu realloc %llu free %llu aligned %llu bytes %llu\n",
                          (long)getpid(), (unsigned long long)c->malloc_calls, (unsigned long long)c->calloc_calls,
                          (unsigned long long)c->realloc_calls, (unsigned long long)c->free_calls,
                          (unsigned long long)c->aligned_calls, (unsigned long long)c->bytes_requested);
    if (length <= 0) {
        return;
    }
    if ((size_t)length >= sizeof line) {
        length = sizeof line - 1;
    }
    int fd = 2;
    const char *path = getenv("MALLOC_COUNT_REPORT");
    if (path != NULL && *path != '\0') {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            fd = 2;
        }
    }
    ssize_t ignored = write(fd, line, (size_t)length);
    (void)ignored;
    if (fd != 2) {
        close(fd);
    }
}
