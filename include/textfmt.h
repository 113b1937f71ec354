/* textfmt: numbers and addresses as the table prints them, without printf.
 * Printing a big table formats millions of cells; libc's inet_ntop() goes
 * through sprintf() for every IPv6 group (bench/RESULTS.md). Pure: same
 * text as inet_ntop() and "%" PRIu64, which tests/unit/test_output.c holds
 * them to.
 */
#ifndef TRAPMON_TEXTFMT_H
#define TRAPMON_TEXTFMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for the longest text each writes, NUL included. */
#define TEXTFMT_U64_LEN 21
#define TEXTFMT_IPV4_LEN 16
#define TEXTFMT_IPV6_LEN 46

/* Decimal at the end of buf (n >= TEXTFMT_U64_LEN); returns its start. */
const char *textfmt_u64(char *buf, size_t n, uint64_t v);

/* A dotted quad into buf (TEXTFMT_IPV4_LEN bytes); returns buf. */
const char *textfmt_ipv4(const uint8_t *a, char *buf);

/* An IPv6 address into buf (TEXTFMT_IPV6_LEN bytes), as glibc's inet_ntop()
 * writes it: lowercase hex, the first longest run of two or more zero
 * groups as "::", IPv4-compatible and -mapped addresses ending in a
 * dotted quad; returns buf.
 */
const char *textfmt_ipv6(const uint8_t *a, char *buf);

#endif
