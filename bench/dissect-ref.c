/* dissect-ref: src/dissect.c and src/dissect_tunnel.c compiled a second
 * time, as they were before the first IP header stopped clearing a key
 * that is still zero and without dissect_packet()'s fast path for plain
 * TCP and UDP, with their functions renamed ref_*.
 * bench/equiv-dissect compares the two.
 */
#define DISSECT_ALWAYS_CLEAR
#define DISSECT_NO_FAST_PATH
#define dissect_eth ref_dissect_eth
#define dissect_packet ref_dissect_packet
#define dissect_is_raw_ip ref_dissect_is_raw_ip
#define dissect_run ref_dissect_run
#define dissect_enter_tunnel ref_dissect_enter_tunnel
#define dissect_ethertype_other ref_dissect_ethertype_other
#define dissect_gre ref_dissect_gre
#define dissect_udp_tunnel ref_dissect_udp_tunnel
#define dissect_tunnel_step ref_dissect_tunnel_step
#include "../src/dissect.c"
#include "../src/dissect_tunnel.c"
