#ifndef UPTIMEBOT_CMONGOC_SHIM_H
#define UPTIMEBOT_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#include <bson/bson.h>
#endif
