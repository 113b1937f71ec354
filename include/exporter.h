/* exporter: the Prometheus endpoint (--listen) through libmicrohttpd,
 * driven from trapmon's own poll loop (no threads): /metrics serves the
 * exposition, / a small landing page.
 */
#ifndef TRAPMON_EXPORTER_H
#define TRAPMON_EXPORTER_H

#include <stdio.h>

struct errmsg;
struct exporter;

#define EXPORTER_DEFAULT_PORT 9432

/* Writes the metrics; returns 0 or -1. */
typedef int (*exporter_render_fn)(FILE *fp, void *arg);

/* Listen on "[ADDR:]PORT" ("[::1]:9432" for IPv6); no address means
 * 127.0.0.1. web_config (NULL: plain HTTP, with a warning beyond
 * loopback) is --web-config's file: TLS and basic auth. NULL with e set.
 */
struct exporter *exporter_start(const char *listen, const char *web_config,
				exporter_render_fn render, void *arg, struct errmsg *e);

/* The fd to poll for reading, and the longest wait (ms, -1: none). */
int exporter_fd(const struct exporter *x);
int exporter_timeout_ms(const struct exporter *x);

/* Serve what is ready; call when the fd is readable or the timeout ends. */
void exporter_run(struct exporter *x);

void exporter_stop(struct exporter *x);

/* Validate a --listen argument without binding. */
int exporter_parse(const char *listen, struct errmsg *e);

#endif
