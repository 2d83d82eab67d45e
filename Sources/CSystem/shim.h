#ifndef PORTCULLIS_CSYSTEM_SHIM_H
#define PORTCULLIS_CSYSTEM_SHIM_H
// Linux headers the Glibc module does not export: epoll and TCP options.
#include <sys/epoll.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

// accept4 is a GNU extension the module does not see without _GNU_SOURCE; glibc exports it.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

/// Number of CPUs this process may run on (its affinity mask), e.g. 1 under `taskset -c 0`.
/// Falls back to the online CPU count.
static inline int portcullis_usable_cpu_count(void) {
    unsigned long mask[16];
    long n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
    if (n <= 0) return (int)sysconf(_SC_NPROCESSORS_ONLN);
    int count = 0;
    for (long i = 0; i < n / (long)sizeof(unsigned long); i++) count += __builtin_popcountl(mask[i]);
    return count > 0 ? count : (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/// Accepts a connection as non-blocking and close-on-exec in one system call.
static inline int portcullis_accept_nonblocking(int fd) {
    return accept4(fd, (struct sockaddr *)0, (socklen_t *)0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/// read(2) and write(2) as plain system calls. glibc's wrappers are POSIX cancellation points and
/// toggle asynchronous cancellation around every call (~1% of the proxy's CPU); Portcullis never
/// cancels threads. Same contract: the byte count, or -1 with errno set.
static inline long portcullis_read(int fd, void *buffer, unsigned long count) {
    return syscall(SYS_read, fd, buffer, count);
}
static inline long portcullis_write(int fd, const void *buffer, unsigned long count) {
    return syscall(SYS_write, fd, buffer, count);
}
#endif
