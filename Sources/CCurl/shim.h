#ifndef UPTIMEBOT_CCURL_SHIM_H
#define UPTIMEBOT_CCURL_SHIM_H
#include <curl/curl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

// Swift cannot call C variadic functions; these typed wrappers stand in for
// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt.
static inline CURLcode uptimebot_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode uptimebot_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode uptimebot_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode uptimebot_easy_setopt_const_pointer(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode uptimebot_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode uptimebot_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode uptimebot_easy_setopt_write(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode uptimebot_easy_setopt_header(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }
static inline CURLcode uptimebot_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode uptimebot_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode uptimebot_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode uptimebot_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode uptimebot_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
// Called once a connection is up, before the request is sent (libcurl >= 7.80): sees the address connected to.
static inline CURLcode uptimebot_easy_setopt_prereq(CURL *h, curl_prereq_callback f) { return curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, f); }
// Called for every socket libcurl would open, before connect(): a refusal sends no packet at all.
static inline CURLcode uptimebot_easy_setopt_opensocket(CURL *h, curl_opensocket_callback f) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, f); }
// What libcurl's own opensocket does.
static inline curl_socket_t uptimebot_open_socket(const struct curl_sockaddr *a) { return socket(a->family, a->socktype, a->protocol); }
// The numeric address and port a socket is about to connect to; 0 when the family is not IP.
static inline int uptimebot_sockaddr_text(const struct curl_sockaddr *a, char *buffer, socklen_t length, int *port) {
    if (a->family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)&a->addr;
        *port = ntohs(v4->sin_port);
        return inet_ntop(AF_INET, &v4->sin_addr, buffer, length) != NULL;
    }
    if (a->family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&a->addr;
        *port = ntohs(v6->sin6_port);
        return inet_ntop(AF_INET6, &v6->sin6_addr, buffer, length) != NULL;
    }
    return 0;
}
static inline CURLMcode uptimebot_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

// The certificate chain gathered with CURLOPT_CERTINFO, typed so Swift sees the struct.
static inline CURLcode uptimebot_easy_getinfo_certinfo(CURL *h, struct curl_certinfo **v) { return curl_easy_getinfo(h, CURLINFO_CERTINFO, v); }
// CURLMsg keeps the result in a union; reading it here is simpler than from Swift.
static inline CURLcode uptimebot_msg_result(const CURLMsg *m) { return m->data.result; }
// Names the calling thread (seen in top -H, gdb, perf); prctl is variadic, hence the wrapper.
static inline void uptimebot_set_thread_name(const char *name) {
#ifdef __linux__
    prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
#else
    (void)name;
#endif
}
#endif
