/* dissect-ref: src/dissect.c compiled a second time, as it was before the
 * first IP header stopped clearing a key that is still zero, with its
 * functions renamed ref_*. bench/equiv-dissect compares the two.
 */
#define DISSECT_ALWAYS_CLEAR
#define dissect_eth ref_dissect_eth
#define dissect_packet ref_dissect_packet
#define dissect_is_raw_ip ref_dissect_is_raw_ip
#include "../src/dissect.c"
