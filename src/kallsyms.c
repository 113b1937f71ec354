/* kallsyms: kernel program counters to "symbol+0xoff". */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

static int by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* One "ADDR TYPE NAME [module]" line; sscanf would strlen() the whole
 * remaining buffer per line, which is quadratic on 100k symbols.
 */
static int parse_line(const char *p, const char *end, uint64_t *addr, char *type,
		      const char **name, size_t *name_len)
{
	uint64_t a = 0;
	const char *q = p;

	for (; q < end && *q != ' '; q++) {
		unsigned int d;

		if (*q >= '0' && *q <= '9')
			d = (unsigned int)(*q - '0');
		else if ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'f')
			d = (unsigned int)((*q | 0x20) - 'a' + 10);
		else
			return -1;
		a = a << 4 | d;
	}
	if (q == p || end - q < 4 || q[2] != ' ')
		return -1;
	*addr = a;
	*type = q[1];
	*name = q + 3;
	for (q += 3; q < end && *q != ' ' && *q != '\t'; q++)
		;
	*name_len = (size_t)(q - *name);
	return *name_len ? 0 : -1;
}

int kallsyms_parse(struct kallsyms *ks, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t cap = 0, ncap = 0, nlen = 0;

	memset(ks, 0, sizeof(*ks));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		const char *name;
		size_t l;
		uint64_t addr;
		char type;

		if (parse_line(p, line_end, &addr, &type, &name, &l) == 0 &&
		    (type == 't' || type == 'T') && addr) {
			if (ks->n == cap) {
				struct ksym *v;

				cap = cap ? cap * 2 : 4096;
				v = realloc(ks->v, cap * sizeof(*v));
				if (!v)
					goto err_nomem;
				ks->v = v;
			}
			if (nlen + l + 1 > ncap) {
				char *nn;

				ncap = ncap ? ncap * 2 : 65536;
				while (nlen + l + 1 > ncap)
					ncap *= 2;
				nn = realloc(ks->names, ncap);
				if (!nn)
					goto err_nomem;
				ks->names = nn;
			}
			memcpy(ks->names + nlen, name, l);
			ks->names[nlen + l] = '\0';
			ks->v[ks->n].addr = addr;
			ks->v[ks->n].name = (uint32_t)nlen;
			ks->n++;
			nlen += l + 1;
		}
		p = line_end + 1;
	}
	if (ks->n)
		qsort(ks->v, ks->n, sizeof(*ks->v), by_addr);
	return ks->n ? 0 : -1;

err_nomem:
	kallsyms_fini(ks);
	errno = ENOMEM;
	return -1;
}

int kallsyms_load(struct kallsyms *ks, const char *path)
{
	FILE *fp = fopen(path, "re");
	size_t len = 0, cap = 0, r;
	char *text = NULL;
	int ret;

	memset(ks, 0, sizeof(*ks));
	if (!fp)
		return -1;
	do {
		if (cap - len < 65536) {
			char *t = realloc(text, cap = cap ? cap * 2 : 1 << 20);

			if (!t) {
				free(text);
				fclose(fp);
				return -1;
			}
			text = t;
		}
		r = fread(text + len, 1, cap - len, fp);
		len += r;
	} while (r > 0);
	fclose(fp);
	ret = kallsyms_parse(ks, text, len);
	free(text);
	return ret;
}

const char *kallsyms_name(const struct kallsyms *ks, uint64_t pc, char *buf, size_t len)
{
	size_t lo = 0, hi = ks->n;

	/* The last symbol at or below pc. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->v[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		snprintf(buf, len, "0x%" PRIx64, pc);
	else
		snprintf(buf, len, "%s+0x%" PRIx64, ks->names + ks->v[lo - 1].name,
			 pc - ks->v[lo - 1].addr);
	return buf;
}

void kallsyms_fini(struct kallsyms *ks)
{
	free(ks->v);
	free(ks->names);
	memset(ks, 0, sizeof(*ks));
}
