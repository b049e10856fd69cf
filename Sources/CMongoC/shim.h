#ifndef UPTIMEBOT_CMONGOC_SHIM_H
#define UPTIMEBOT_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#include <bson/bson.h>

// bson_t is 128-byte aligned, so Swift sees it only as an opaque pointer; this reads its length.
static inline uint32_t uptimebot_bson_len(const bson_t *b) { return b->len; }
#endif
