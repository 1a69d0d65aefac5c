/*
 * Credit Gateway plugin SDK, ABI version 1.
 *
 * A department adapter is a shared library that exports three C symbols:
 *
 *   uint32_t cg_plugin_abi_version(void);            checked before anything else
 *   const cg_adapter_v1* cg_plugin_adapter_v1(void);  the adapter's descriptor
 *   size_t cg_plugin_descriptor_size(void);          the descriptor's size as built
 *
 * Within one ABI version, members are only ever appended to a descriptor (the
 * adapter's feedback, say). The host reads the members the plugin's
 * descriptor has, by its size, and takes those it lacks as NULL; a plugin
 * without cg_plugin_descriptor_size has the first descriptor of ABI 1, up to
 * destroy. CG_EXPORT_ADAPTER exports all three.
 *
 * The gateway loads it (Boost.DLL) in a plugin-host child process of its own,
 * so a crash or a hang in the plugin never stops the gateway. The adapter does
 * only transport: it takes source units (a file, a page, a message, a request
 * body) from the department and submits them; the gateway maps, validates and
 * stores them, then acknowledges each unit. The adapter acknowledges its
 * source (moves the file to done/, answers HTTP 200, saves the cursor, ...)
 * only in on_ack, never before: nothing is lost if anything crashes.
 *
 * Everything crosses the boundary as C types; errors are return values.
 * Threading: the host calls every function of one adapter instance from one
 * thread, in a loop: poll(), then on_ack() for each acknowledgement received.
 * See docs/plugins.md.
 */
#ifndef CREDIT_GATEWAY_PLUGIN_H
#define CREDIT_GATEWAY_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CG_PLUGIN_ABI_VERSION 1u

/* Return codes. */
#define CG_OK 0
#define CG_ERROR 1 /* the call failed; the host logs the message */
#define CG_RETRY 2 /* submit: too many units in flight, try again after acks */

/* Log levels. */
#define CG_LOG_DEBUG 0
#define CG_LOG_INFO 1
#define CG_LOG_WARN 2
#define CG_LOG_ERROR 3

/* One unit of input from the department. Valid only during the call. */
typedef struct cg_source_unit {
  const char* source_id; /* unique among units in flight: "page-3", a file name, a message id */
  const char* feed;      /* mapping name, e.g. "court.sxbzxr" */
  const char* data;      /* the bytes as received (any encoding: the mapping decodes) */
  size_t size;
  const char* origin; /* where it came from, for the audit: a path, a URL, a peer */
} cg_source_unit;

/* The gateway's answer to one unit. Valid only during the call. */
typedef struct cg_ack {
  const char* source_id;
  int32_t status;          /* CG_ACK_* */
  const char* result_json; /* {"accepted": n, "unchanged": n, "quarantined": [...], "error": ...} */
} cg_ack;

#define CG_ACK_COMMITTED 0 /* every record is stored or quarantined: acknowledge the source */
#define CG_ACK_REJECTED 1  /* the unit as a whole was refused (not well-formed...) and kept in quarantine */
#define CG_ACK_FAILED 2    /* the gateway could not take it now (store down...): keep it, offer it again */

/* The feed of a unit that carries the department's execution feedback (执行反馈:
   what it did with the measures of its items) rather than records: the data is
   the body of the department API's POST /api/v1/feedback (department-api.md
   §5), {"feedback": [{"item_id", "measure_id", "action", "on", ...}]},
   which the adapter builds from what its department system reports (a file in
   a reply folder, an HTTP post back, a row of its front-end database). The
   gateway takes it for the plugin's own department and acknowledges it like
   any unit once the accepted entries are committed: result_json is the API's
   answer, {"results": [{"index", "status": accepted|duplicate|rejected,
   "feedback_id", "error"}]}; CG_ACK_REJECTED when the body is not a feedback
   document. */
#define CG_FEED_EXECUTION_FEEDBACK "execution_feedback"

/* One item of feedback for the department (联合奖惩 反馈): a record version it
   must act on, rendered in the department's own format by its outbound
   mapping. Valid only during the call. */
typedef struct cg_feedback {
  const char* feedback_id; /* unique; the same id again means the same item again */
  const char* record_id;
  int64_t version;
  const char* event_json; /* {"type": "status_changed"|"created"|..., "change_id", "from", "to", "at"} */
  const char* format;     /* "xml" or "json" */
  const char* file_name;  /* a suggested file name, e.g. "xyfk-000042.xml" */
  const char* data;       /* the rendered document */
  size_t size;
} cg_feedback;

/* What the host offers the adapter. */
typedef struct cg_host_v1 {
  void* ctx;
  /* Hands a unit to the gateway. CG_OK: queued (await on_ack). CG_RETRY: back-pressure. */
  int32_t (*submit)(void* ctx, const cg_source_unit* unit);
  void (*log)(void* ctx, int32_t level, const char* message); /* never pass an unmasked ID number */
  /* A folder this adapter may keep state in (cursors); survives restarts. */
  const char* state_dir;
} cg_host_v1;

typedef struct cg_adapter_v1 {
  uint32_t abi_version;   /* CG_PLUGIN_ABI_VERSION */
  const char* name;       /* unique plugin name, e.g. "court-file-drop" */
  const char* version;    /* the plugin's own version, e.g. "1.2.0" */
  const char* department; /* e.g. "court" */
  const char* description;
  const char* config_doc; /* its options (credit_gateway/options.hpp): checked by the host, printed by plugin info */

  /* Creates an instance from its JSON config. On failure returns NULL and
     writes a message into err (errlen bytes). */
  void* (*create)(const char* config_json, const cg_host_v1* host, char* err, size_t errlen);
  /* Does transport work for at most timeout_ms and submits ready units.
     Returns CG_OK, or CG_ERROR to have the host log err and go on. */
  int32_t (*poll)(void* self, int32_t timeout_ms, char* err, size_t errlen);
  /* The gateway's answer for a submitted unit: acknowledge the source now. */
  void (*on_ack)(void* self, const cg_ack* ack);
  /* Stops taking new input; units in flight still get on_ack. */
  void (*drain)(void* self);
  void (*destroy)(void* self);
  /* Optional, NULL when the adapter takes no feedback: hands one item to the
     department (writes the file, POSTs it...). CG_OK once the department has
     it; CG_ERROR (with err) to have it offered again later. */
  int32_t (*feedback)(void* self, const cg_feedback* item, char* err, size_t errlen);
} cg_adapter_v1;

typedef uint32_t (*cg_plugin_abi_version_fn)(void);
typedef const cg_adapter_v1* (*cg_plugin_adapter_v1_fn)(void);
typedef size_t (*cg_plugin_descriptor_size_fn)(void);

#ifdef __cplusplus
}
#endif

/* Exports the two symbols. Use once per plugin: CG_EXPORT_ADAPTER(my_descriptor) */
#ifdef __cplusplus
#define CG_EXTERN_C extern "C"
#else
#define CG_EXTERN_C
#endif
#define CG_EXPORT_ABI_AND_SIZE(descriptor)                                                    \
  CG_EXTERN_C __attribute__((visibility("default"))) uint32_t cg_plugin_abi_version(void) {   \
    return CG_PLUGIN_ABI_VERSION;                                                             \
  }                                                                                           \
  CG_EXTERN_C __attribute__((visibility("default"))) size_t cg_plugin_descriptor_size(void) { \
    return sizeof(descriptor);                                                                \
  }
#define CG_EXPORT_ADAPTER(descriptor)                                                                  \
  CG_EXPORT_ABI_AND_SIZE(descriptor)                                                                   \
  CG_EXTERN_C __attribute__((visibility("default"))) const cg_adapter_v1* cg_plugin_adapter_v1(void) { \
    return &(descriptor);                                                                              \
  }

#endif /* CREDIT_GATEWAY_PLUGIN_H */
