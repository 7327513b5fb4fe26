/* A disk whose syncs are slow: fsync and fdatasync wait SLOW_FSYNC_MS (default 300)
 * before they run. Loaded with LD_PRELOAD into the cockpit under test: every SQLite commit
 * (synchronous = FULL) then holds its write lock that much longer, as on a laptop whose
 * disk is busy. Built by tests/support/slow_disk.py; for tests only. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void slow_down(void) {
    const char *value = getenv("SLOW_FSYNC_MS");
    long ms = value ? atol(value) : 300;
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

int fsync(int fd) {
    static int (*real)(int) = NULL;
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    slow_down();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int) = NULL;
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    slow_down();
    return real(fd);
}
