/*
 * Credit Gateway platform connector ABI, version 1.
 *
 * A connector speaks one upstream platform's HTTP contract: it signs and sends
 * a request and returns the answer. Batching, retries, backoff, the circuit
 * breaker and what each answer means for a record are the gateway's. A
 * province whose API differs from docs/platform-api.md gets a connector of its
 * own, never a change to the core.
 *
 *   uint32_t cg_plugin_abi_version(void);                 checked first
 *   const cg_connector_v1* cg_plugin_connector_v1(void);  the descriptor
 *   size_t cg_plugin_descriptor_size(void);               its size as built
 *
 * As for adapters (plugin.h), members are only ever appended to the
 * descriptor; CG_EXPORT_CONNECTOR exports all three.
 */
#ifndef CREDIT_GATEWAY_CONNECTOR_H
#define CREDIT_GATEWAY_CONNECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "credit_gateway/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An answer. Strings are owned by the connector until free_response(). */
typedef struct cg_response {
  int32_t http_status; /* 0: no answer (see error) */
  char* body;
  size_t body_len;
  char* retry_after; /* the Retry-After header, or NULL */
  char* error;       /* transport error text, or NULL */
  int32_t timed_out;
} cg_response;

typedef struct cg_connector_v1 {
  uint32_t abi_version;
  const char* name;
  const char* version;
  const char* description;
  const char* config_doc; /* its options, as an adapter's (credit_gateway/options.hpp) */
  /* config_json holds the destination's options and "secret" (resolved by the
     gateway from a file or an environment variable). NULL and err on failure. */
  void* (*create)(const char* config_json, char* err, size_t errlen);
  /* POSTs one batch (the whole JSON body) with its idempotency key. */
  int32_t (*push_batch)(void* self, const char* batch_id, const char* body, size_t body_len, cg_response* out);
  /* GETs a path and query of the platform (changes, reconciliation, lookup). */
  int32_t (*get)(void* self, const char* path_and_query, cg_response* out);
  void (*free_response)(void* self, cg_response* r);
  void (*destroy)(void* self);
  /* POSTs a JSON body to a path of the platform with an idempotency key
     (execution feedback: /api/v1/feedback:batch). NULL in connectors built
     before it: a destination with "feedback": true refuses them. */
  int32_t (*post)(void* self, const char* path_and_query, const char* idempotency_key, const char* body,
                  size_t body_len, cg_response* out);
} cg_connector_v1;

typedef const cg_connector_v1* (*cg_plugin_connector_v1_fn)(void);

#ifdef __cplusplus
}
#endif

/* Exports the three symbols. Use once per connector: CG_EXPORT_CONNECTOR(my_descriptor) */
#define CG_EXPORT_CONNECTOR(descriptor)                                                                    \
  CG_EXPORT_ABI_AND_SIZE(descriptor)                                                                       \
  CG_EXTERN_C __attribute__((visibility("default"))) const cg_connector_v1* cg_plugin_connector_v1(void) { \
    return &(descriptor);                                                                                  \
  }

#endif /* CREDIT_GATEWAY_CONNECTOR_H */
