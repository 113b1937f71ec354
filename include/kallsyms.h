/* kallsyms: resolve kernel program counters to "symbol+0xoff", for software
 * drops in summary mode. Loaded once into a sorted table, searched per
 * lookup; never rescanned per alert.
 */
#ifndef TRAPMON_KALLSYMS_H
#define TRAPMON_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset into names */
};

struct kallsyms {
	struct ksym *v;
	size_t n;
	char *names;
};

/* Load text symbols from path (normally /proc/kallsyms). Returns 0, or -1
 * when the file cannot be read or shows only zero addresses (kptr_restrict:
 * run as root).
 */
int kallsyms_load(struct kallsyms *ks, const char *path);

/* Parse kallsyms text already in memory (tests). */
int kallsyms_parse(struct kallsyms *ks, const char *text, size_t len);

/* Write "symbol+0xoff" for pc into buf, or "0x<pc>" when unknown. */
const char *kallsyms_name(const struct kallsyms *ks, uint64_t pc, char *buf, size_t len);

void kallsyms_fini(struct kallsyms *ks);

#endif
