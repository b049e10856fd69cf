#ifndef UPTIMEBOT_CICMP_SHIM_H
#define UPTIMEBOT_CICMP_SHIM_H
// recvmmsg and ppoll need _GNU_SOURCE, which would make glibc's types here differ from the ones
// in Swift's Glibc module; so they are reached through syscall(2), with the kernel's own layouts.
// CMSG_* are macros, which Swift cannot call.
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <poll.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <linux/capability.h>

// The kernel's struct mmsghdr.
struct cicmp_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

static inline int cicmp_recvmmsg(int fd, struct cicmp_mmsghdr *msgs, unsigned int count, int flags) {
    return (int)syscall(SYS_recvmmsg, fd, msgs, count, flags, (struct timespec *)0);
}
// Nanosecond timeouts (poll's are milliseconds); timeout NULL waits forever.
static inline int cicmp_ppoll(struct pollfd *fds, nfds_t count, const struct timespec *timeout) {
    struct timespec copy; // the system call writes the time left back into its argument
    if (timeout) copy = *timeout;
    return (int)syscall(SYS_ppoll, fds, count, timeout ? &copy : (struct timespec *)0, (void *)0, (size_t)8);
}
static inline int cicmp_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline struct cmsghdr *cicmp_cmsg_firsthdr(struct msghdr *m) { return CMSG_FIRSTHDR(m); }
static inline unsigned char *cicmp_cmsg_data(struct cmsghdr *c) { return CMSG_DATA(c); }
static const int cicmp_msg_dontwait = MSG_DONTWAIT;

// ICMP_FILTER (SOL_RAW) takes a bit mask of ICMP types to drop. Its header <linux/icmp.h>
// clashes with glibc's <netinet/in.h> in one module, so the option number is spelled here.
static inline int cicmp_set_icmp_filter_echo_reply_only(int fd) {
    unsigned int blocked = ~(1U << 0 /* ICMP_ECHOREPLY */);
    return setsockopt(fd, SOL_RAW, 1 /* ICMP_FILTER */, &blocked, sizeof blocked);
}
static inline int cicmp_set_icmp6_filter_echo_reply_only(int fd) {
    struct icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
}
// The pinger thread paces sends with timed waits; the default 50 µs slack blurs the pace.
static inline int cicmp_set_timer_slack_ns(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

// Names the calling thread as `top -H` and perf show it (15 bytes at most).
static inline int cicmp_set_thread_name(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

// Capabilities belong to threads: tests clear CAP_NET_RAW from one thread's effective set to reach
// the datagram fallback while running as root; `enabled` restores it from the permitted set.
static inline int cicmp_set_thread_cap_net_raw(int enabled) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    if (syscall(SYS_capget, &header, data) != 0) return -1;
    if (enabled) data[0].effective |= 1U << CAP_NET_RAW;
    else data[0].effective &= ~(1U << CAP_NET_RAW);
    return (int)syscall(SYS_capset, &header, data);
}
#endif
