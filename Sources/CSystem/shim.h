#ifndef PORTCULLIS_CSYSTEM_SHIM_H
#define PORTCULLIS_CSYSTEM_SHIM_H
// Linux headers the Glibc module does not export: epoll and TCP options.
#include <sys/epoll.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

// accept4 is a GNU extension the module does not see without _GNU_SOURCE; glibc exports it.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

/// Accepts a connection as non-blocking and close-on-exec in one system call.
static inline int portcullis_accept_nonblocking(int fd) {
    return accept4(fd, (struct sockaddr *)0, (socklen_t *)0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
#endif
