/* unaligned: 8- and 4-byte loads from any address, for the word-at-a-time
 * compares and hashes of the flow table and the NET_DM parser. memcpy()
 * of a constant size compiles to one load; a cast would be undefined where
 * the address is not aligned.
 */
#ifndef TRAPMON_UNALIGNED_H
#define TRAPMON_UNALIGNED_H

#include <stdint.h>
#include <string.h>

static inline uint64_t load_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif
