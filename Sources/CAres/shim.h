#ifndef UPTIMEBOT_CARES_SHIM_H
#define UPTIMEBOT_CARES_SHIM_H
#include <ares.h>
#include <arpa/nameser.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#endif
