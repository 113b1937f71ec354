/* Table-driven tests for dissect_eth(). Frames are literal hex, one layer
 * per space-separated group; checksums are not checked by the dissector.
 * Addresses: outer 192.0.2.1 > 192.0.2.2 / 2001:db8::1 > 2001:db8::2,
 * inner 10.0.0.1 > 10.0.0.2 / fd00::1 > fd00::2.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissect.h"
#include "tap.h"

/* ip4_udp: 46 bytes */
static const char F_IP4_UDP[] =
	"020000000002020000000001 0800 "
	"45000020000100004011f6c8c0000201c0000202 04d210e1000c0000 "
	"deadbeef";
/* ip4_tcp: 54 bytes */
static const char F_IP4_TCP[] =
	"020000000002020000000001 0800 "
	"45000028000100004006f6cbc0000201c0000202 "
	"9c40005000000001000000005002ffff00000000";
/* ip4_sctp: 66 bytes */
static const char F_IP4_SCTP[] =
	"020000000002020000000001 0800 "
	"45000034000100004084f641c0000201c0000202 "
	"1388960c0000000000000000 "
	"0100001400000000000000000000000000000000";
/* ip4_udplite: 46 bytes */
static const char F_IP4_UDPLITE[] =
	"020000000002020000000001 0800 "
	"45000020000100004088f651c0000201c0000202 045708ae000c0000 "
	"deadbeef";
/* ip4_opts: 58 bytes */
static const char F_IP4_OPTS[] =
	"020000000002020000000001 0800 "
	"4800002c000100004011e7b4c0000201c0000202010107070400000000000000 "
	"00070009000c0000 deadbeef";
/* ip4_frag1: 58 bytes */
static const char F_IP4_FRAG1[] =
	"020000000002020000000001 0800 "
	"4500002c000120004011d6bcc0000201c0000202 14e914e900180000 "
	"00000000000000000000000000000000";
/* ip4_frag2: 50 bytes */
static const char F_IP4_FRAG2[] =
	"020000000002020000000001 0800 "
	"45000024000100b94011f60bc0000201c0000202 "
	"11111111111111111111111111111111";
/* ip4_icmp: 42 bytes */
static const char F_IP4_ICMP[] =
	"020000000002020000000001 0800 "
	"4500001c000100004001f6dcc0000201c0000202 0800000000010001";
/* ip4_icmp_err: 70 bytes */
static const char F_IP4_ICMP_ERR[] =
	"020000000002020000000001 0800 "
	"45000038000100004001f6c0c0000201c0000202 0303000000000000 "
	"4500001c00010000401166ce0a0000020a000001829a003500080000";
/* ip6_udp: 66 bytes */
static const char F_IP6_UDP[] =
	"020000000002020000000001 86dd "
	"60000000000c114020010db800000000000000000000000120010db800000000 "
	"0000000000000002 02220223000c0000 deadbeef";
/* ip6_tcp: 74 bytes */
static const char F_IP6_TCP[] =
	"020000000002020000000001 86dd "
	"600000000014064020010db800000000000000000000000120010db800000000 "
	"0000000000000002 c73801bb00000001000000005002ffff00000000";
/* ip6_hbh: 74 bytes */
static const char F_IP6_HBH[] =
	"020000000002020000000001 86dd "
	"600000000014004020010db800000000000000000000000120010db800000000 "
	"0000000000000002 1100010400000000 03e807d0000c0000 deadbeef";
/* ip6_rh: 98 bytes */
static const char F_IP6_RH[] =
	"020000000002020000000001 86dd "
	"60000000002c2b4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"060204000000000020010db8000000000000000000000002 "
	"0401001600000001000000005002ffff00000000";
/* ip6_frag1: 86 bytes */
static const char F_IP6_FRAG1[] =
	"020000000002020000000001 86dd "
	"6000000000202c4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 1100000100001234 0fa00fa100180000 "
	"00000000000000000000000000000000";
/* ip6_frag2: 78 bytes */
static const char F_IP6_FRAG2[] =
	"020000000002020000000001 86dd "
	"6000000000182c4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 1100032000001234 "
	"22222222222222222222222222222222";
/* ip6_dst: 82 bytes */
static const char F_IP6_DST[] =
	"020000000002020000000001 86dd "
	"60000000001c3c4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 1101010c000000000000000000000000 "
	"0bb80bb9000c0000 deadbeef";
/* ip6_ah: 98 bytes */
static const char F_IP6_AH[] =
	"020000000002020000000001 86dd "
	"60000000002c334020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"060400000000010000000001aaaaaaaaaaaaaaaaaaaaaaaa "
	"1f901f9100000001000000005002ffff00000000";
/* ip6_chain: 146 bytes */
static const char F_IP6_CHAIN[] =
	"020000000002020000000001 86dd "
	"60000000005c004020010db800000000000000000000000120010db800000000 "
	"0000000000000002 3c00010400000000 2b00010400000000 "
	"2c0204000000000020010db8000000000000000000000002 "
	"3300000000001234 "
	"3c0400000000010000000001aaaaaaaaaaaaaaaaaaaaaaaa "
	"1100010400000000 006f00de000c0000 deadbeef";
/* ip6_icmp6: 62 bytes */
static const char F_IP6_ICMP6[] =
	"020000000002020000000001 86dd "
	"6000000000083a4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 8000000000010001";
/* ip6_nonext: 54 bytes */
static const char F_IP6_NONEXT[] =
	"020000000002020000000001 86dd "
	"6000000000003b4020010db800000000000000000000000120010db800000000 "
	"0000000000000002";
/* ip6_dst_nonext: 62 bytes */
static const char F_IP6_DST_NONEXT[] =
	"020000000002020000000001 86dd "
	"6000000000083c4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 3b00010400000000";
/* ip6_esp: 66 bytes */
static const char F_IP6_ESP[] =
	"020000000002020000000001 86dd "
	"60000000000c324020010db800000000000000000000000120010db800000000 "
	"0000000000000002 0000100000000001deadbeef";
/* ip6_jumbo: 82 bytes */
static const char F_IP6_JUMBO[] =
	"020000000002020000000001 86dd "
	"600000000000004020010db800000000000000000000000120010db800000000 "
	"0000000000000002 0600c2040000001c "
	"0001000200000001000000005002ffff00000000";
/* ip6_extloop: 222 bytes */
static const char F_IP6_EXTLOOP[] =
	"020000000002020000000001 86dd "
	"6000000000a83c4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 3c00010400000000 3c00010400000000 "
	"3c00010400000000 3c00010400000000 3c00010400000000 "
	"3c00010400000000 3c00010400000000 3c00010400000000 "
	"3c00010400000000 3c00010400000000 3c00010400000000 "
	"3c00010400000000 3c00010400000000 3c00010400000000 "
	"3c00010400000000 3c00010400000000 3c00010400000000 "
	"3c00010400000000 3c00010400000000 1100010400000000 "
	"0001000200080000";
/* vlan1: 50 bytes */
static const char F_VLAN1[] =
	"020000000002020000000001 8100 60640800 "
	"45000020000100004011f6c8c0000201c0000202 04d210e1000c0000 "
	"deadbeef";
/* qinq: 62 bytes */
static const char F_QINQ[] =
	"020000000002020000000001 88a8 00c88100 00640800 "
	"45000028000100004006f6cbc0000201c0000202 "
	"9c40005000000001000000005002ffff00000000";
/* vlan4: 78 bytes */
static const char F_VLAN4[] =
	"020000000002020000000001 9100 0ffe88a8 00028100 00038100 "
	"000486dd "
	"600000000008114020010db800000000000000000000000120010db800000000 "
	"0000000000000002 0009000a00080000";
/* vlan5: 62 bytes */
static const char F_VLAN5[] =
	"020000000002020000000001 8100 00018100 00028100 00038100 "
	"00048100 00050800 4500001c000100004011f6ccc0000201c0000202 "
	"0001000200080000";
/* vlan64: 298 bytes */
static const char F_VLAN64[] =
	"020000000002020000000001 8100 00018100 00028100 00038100 "
	"00048100 00058100 00068100 00078100 00088100 00098100 000a8100 "
	"000b8100 000c8100 000d8100 000e8100 000f8100 00108100 00118100 "
	"00128100 00138100 00148100 00158100 00168100 00178100 00188100 "
	"00198100 001a8100 001b8100 001c8100 001d8100 001e8100 001f8100 "
	"00208100 00218100 00228100 00238100 00248100 00258100 00268100 "
	"00278100 00288100 00298100 002a8100 002b8100 002c8100 002d8100 "
	"002e8100 002f8100 00308100 00318100 00328100 00338100 00348100 "
	"00358100 00368100 00378100 00388100 00398100 003a8100 003b8100 "
	"003c8100 003d8100 003e8100 003f8100 00400800 "
	"4500001c000100004011f6ccc0000201c0000202 0001000200080000";
/* ipip: 66 bytes */
static const char F_IPIP[] =
	"020000000002020000000001 0800 "
	"45000034000100004004f6c1c0000201c0000202 "
	"4500002000010000401166ca0a0000010a000002 115c15b3000c0000 "
	"deadbeef";
/* ip6in4: 94 bytes */
static const char F_IP6IN4[] =
	"020000000002020000000001 0800 "
	"45000050000100004029f680c0000201c0000202 "
	"6000000000140640fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 04d2005000000001000000005002ffff00000000";
/* ip4in6: 86 bytes */
static const char F_IP4IN6[] =
	"020000000002020000000001 86dd "
	"600000000020044020010db800000000000000000000000120010db800000000 "
	"0000000000000002 4500002000010000401166ca0a0000010a000002 "
	"00440043000c0000 deadbeef";
/* ip6in6: 118 bytes */
static const char F_IP6IN6[] =
	"020000000002020000000001 86dd "
	"600000000040294020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"6000000000183a40fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 "
	"8700000000000000fd000000000000000000000000000002";
/* gre_ip4: 70 bytes */
static const char F_GRE_IP4[] =
	"020000000002020000000001 0800 "
	"4500003800010000402ff692c0000201c0000202 00000800 "
	"4500002000010000401166ca0a0000010a000002 03e80035000c0000 "
	"deadbeef";
/* gre_cks_ip6: 110 bytes */
static const char F_GRE_CKS_IP6[] =
	"020000000002020000000001 0800 "
	"4500006000010000402ff66ac0000201c0000202 "
	"b00086dd000000000102030400000007 "
	"6000000000140640fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 07d000b300000001000000005002ffff00000000";
/* gre_teb: 100 bytes */
static const char F_GRE_TEB[] =
	"020000000002020000000001 0800 "
	"4500005600010000402ff674c0000201c0000202 200065580000002a "
	"020000000004020000000003 8100 012c0800 "
	"4500002800010000400666cd0a0000010a000002 "
	"80e80cea00000001000000005002ffff00000000";
/* gre_v1: 78 bytes */
static const char F_GRE_V1[] =
	"020000000002020000000001 0800 "
	"4500004000010000402ff68ac0000201c0000202 "
	"3081880b0004000100000005ff030021 "
	"4500001c00010000401166ce0a0000010a000002 0001000200080000";
/* gre_erspan: 92 bytes */
static const char F_GRE_ERSPAN[] =
	"020000000002020000000001 0800 "
	"4500004e00010000402ff67cc0000201c0000202 100088be00000001 "
	"100100640000000a 020000000006020000000005 0800 "
	"4500001c00010000401166ce0a0000010a000002 0001000200080000";
/* gre_routing: 82 bytes */
static const char F_GRE_ROUTING[] =
	"020000000002020000000001 0800 "
	"4500004400010000402ff686c0000201c0000202 "
	"c000080000000000080000040a00000300000000 "
	"4500001c00010000401166ce0a0000010a000002 0001000200080000";
/* vxlan: 104 bytes */
static const char F_VXLAN[] =
	"020000000002020000000001 0800 "
	"4500005a000100004011f68ec0000201c0000202 c00012b500460000 "
	"0800000000138800 020000000008020000000007 0800 "
	"4500002800010000400666cd0a0000010a000002 "
	"15b31a0a00000001000000005002ffff00000000";
/* vxlan_vlan: 100 bytes */
static const char F_VXLAN_VLAN[] =
	"020000000002020000000001 0800 "
	"45000056000100004011f692c0000201c0000202 c00112b500420000 "
	"0800000000138900 020000000008020000000007 8100 000a0800 "
	"4500002000010000401166ca0a0000010a000002 1e6122b8000c0000 "
	"deadbeef";
/* vxlan6_vlan: 144 bytes */
static const char F_VXLAN6_VLAN[] =
	"020000000002020000000001 8100 000586dd "
	"600000000056114020010db800000000000000000000000120010db800000000 "
	"0000000000000002 c00212b500560000 0800000000138a00 "
	"020000000008020000000007 8100 000a86dd "
	"60000000000c1140fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 007b007b000c0000 deadbeef";
/* vxlan_arp: 92 bytes */
static const char F_VXLAN_ARP[] =
	"020000000002020000000001 0800 "
	"4500004e000100004011f69ac0000201c0000202 c00312b5003a0000 "
	"0800000000138b00 020000000008020000000007 0806 "
	"00010800060400010200000000070a0000010000000000000a000002";
/* geneve: 104 bytes */
static const char F_GENEVE[] =
	"020000000002020000000001 0800 "
	"4500005a000100004011f68ec0000201c0000202 c35017c100460000 "
	"0200655800004d000102800101020304 02000000000a020000000009 0800 "
	"4500002000010000401166ca0a0000010a000002 0035041d000c0000 "
	"deadbeef";
/* geneve_ip4: 78 bytes */
static const char F_GENEVE_IP4[] =
	"020000000002020000000001 0800 "
	"45000040000100004011f6a8c0000201c0000202 c35117c1002c0000 "
	"0000080000004e00 4500001c00010000400166de0a0000010a000002 "
	"0000000000010002";
/* geneve_v1: 78 bytes */
static const char F_GENEVE_V1[] =
	"020000000002020000000001 0800 "
	"45000040000100004011f6a8c0000201c0000202 c35217c1002c0000 "
	"4000080000004f00 4500001c00010000401166ce0a0000010a000002 "
	"0001000200080000";
/* arp: 60 bytes */
static const char F_ARP[] =
	"020000000002020000000001 0806 "
	"0001080006040001020000000001c0000201000000000000c000020200000000 "
	"0000000000000000000000000000";
/* lldp: 36 bytes */
static const char F_LLDP[] =
	"0180c200000e020000000001 88cc "
	"020704020000000001040403706f7274060200780000";
/* llc: 52 bytes */
static const char F_LLC[] =
	"01000ccccccc020000000001 0026 "
	"aaaa0300000c2000000000000000000000000000000000000000000000000000 "
	"000000000000";
/* ipip4x: 122 bytes */
static const char F_IPIP4X[] =
	"020000000002020000000001 0800 "
	"4500006c000100004004f689c0000201c0000202 "
	"4500005800010000400425d0c6336403c6336467 "
	"4500004400010000400425e6c6336402c6336466 "
	"4500003000010000400425fcc6336401c6336465 "
	"4500001c00010000401166ce0a0000010a000002 0001000200080000";
/* ipip5x: 142 bytes */
static const char F_IPIP5X[] =
	"020000000002020000000001 0800 "
	"45000080000100004004f675c0000201c0000202 "
	"4500006c00010000400425bac6336404c6336468 "
	"4500005800010000400425d0c6336403c6336467 "
	"4500004400010000400425e6c6336402c6336466 "
	"4500003000010000400425fcc6336401c6336465 "
	"4500001c00010000401166ce0a0000010a000002 0001000200080000";
/* ip4_badver: 42 bytes */
static const char F_IP4_BADVER[] =
	"020000000002020000000001 0800 "
	"6500001c000100004011d6ccc0000201c0000202 0001000200080000";
/* ip4_badihl: 42 bytes */
static const char F_IP4_BADIHL[] =
	"020000000002020000000001 0800 "
	"4400001c000100004011f7ccc0000201c0000202 0001000200080000";
/* ip4_shorttot: 46 bytes */
static const char F_IP4_SHORTTOT[] =
	"020000000002020000000001 0800 "
	"45000018000100004011f6d0c0000201c0000202 00010002000c0000 "
	"deadbeef";
/* ip4_pad: 60 bytes */
static const char F_IP4_PAD[] =
	"020000000002020000000001 0800 "
	"4500001c000100004001f6dcc0000201c0000202 0800000000010001 "
	"000000000000000000000000000000000000";
/* ip4_tso: 54 bytes */
/* The edges of dissect_packet()'s fast path (Ethernet, one tag at most,
 * IPv4 without options or IPv6 without extensions, TCP or UDP). */
/* ip4_udp_min: 42 bytes, total length 28: the shortest frame it takes */
static const char F_IP4_UDP_MIN[] =
	"020000000002020000000001 0800 "
	"4500001c000100004011f6ccc0000201c0000202 04d210e100080000";
/* ip4_udp_tot27: 42 bytes, total length one short of the UDP header */
static const char F_IP4_UDP_TOT27[] =
	"020000000002020000000001 0800 "
	"4500001b000100004011f6ccc0000201c0000202 04d210e100080000";
/* ip4_udp_4788 and _6636: either side of the tunnel ports */
static const char F_IP4_UDP_4788[] =
	"020000000002020000000001 0800 "
	"45000020000100004011f6c8c0000201c0000202 04d212b4000c0000 "
	"deadbeef";
static const char F_IP4_UDP_6636[] =
	"020000000002020000000001 0800 "
	"45000020000100004011f6c8c0000201c0000202 04d219ec000c0000 "
	"deadbeef";
/* vlan_ip6_tcp: 78 bytes, tag 0x6064 (PCP 3, VLAN 100) */
static const char F_VLAN_IP6_TCP[] =
	"020000000002020000000001 8100 6064 86dd "
	"600000000014064020010db800000000000000000000000120010db800000000 "
	"0000000000000002 c73801bb00000001000000005002ffff00000000";
/* vlan_ip6_tcp_plen19: payload length one short of the TCP header */
static const char F_VLAN_IP6_TCP_PLEN19[] =
	"020000000002020000000001 8100 6064 86dd "
	"600000000013064020010db800000000000000000000000120010db800000000 "
	"0000000000000002 c73801bb00000001000000005002ffff00000000";
static const char F_IP4_TSO[] =
	"020000000002020000000001 0800 "
	"45000000000100004006f6f3c0000201c0000202 "
	"0001000200000001000000005002ffff00000000";

/* mpls_ip4: 54 bytes */
static const char F_MPLS_IP4[] =
	"0200000000020200000000018847 00064040000c8140 "
	"4500002000010000401166ca0a0000010a000002 "
	"03e807d0000c0000deadbeef";
/* mpls_ip6_deep: 106 bytes */
static const char F_MPLS_IP6_DEEP[] =
	"01005e0000010200000000018848 "
	"0001004000011040000120400001304000014040000150400001604000017140 "
	"6000000000140640fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 040100b300000001000000005002ffff00000000";
/* mpls_pw_eth: 68 bytes */
static const char F_MPLS_PW_ETH[] =
	"0200000000020200000000018847 0012c0400012d140 00000005 "
	"02005e10000402005e1000030800 "
	"4500001c00010000400166de0a0000010a000002 0800f7fe00010000";
/* mpls_gre: 74 bytes */
static const char F_MPLS_GRE[] =
	"0200000000020200000000010800 "
	"4500003c00010000402ff68ec0000201c0000202 00008847 003e8140 "
	"4500002000010000401166ca0a0000010a000002 "
	"0bb80035000c0000deadbeef";
/* mpls_udp: 102 bytes */
static const char F_MPLS_UDP[] =
	"0200000000020200000000010800 "
	"45000058000100004011f690c0000201c0000202 "
	"c00019eb00440000007d0040007d114060000000000c1140fd00000000000000 "
	"0000000000000001fd00000000000000000000000000000202220223000c0000 "
	"deadbeef";
/* mpls_ach: 26 bytes */
static const char F_MPLS_ACH[] =
	"0200000000020200000000018847 0000d140 1000002100000000";
/* mpls_pw_nocw: 64 bytes */
static const char F_MPLS_PW_NOCW[] =
	"0200000000020200000000018847 00190140 "
	"6200000000040200000000030800 "
	"4500002000010000401166ca0a0000010a000002 "
	"00010002000c0000deadbeef";
/* gre_wccp: 82 bytes */
static const char F_GRE_WCCP[] =
	"0200000000020200000000010800 "
	"4500004400010000402ff686c0000201c0000202 0000883e 00000000 "
	"4500002800010000400666cd0a0000010a000002 "
	"9c40005000000001000000005002ffff00000000";
/* gre_wccp_v1: 70 bytes */
static const char F_GRE_WCCP_V1[] =
	"0200000000020200000000010800 "
	"4500003800010000402ff692c0000201c0000202 0000883e "
	"4500002000010000401166ca0a0000010a000002 "
	"13881389000c0000deadbeef";
/* gre_cmd: 78 bytes */
static const char F_GRE_CMD[] =
	"0200000000020200000000010800 "
	"4500004000010000402ff68ac0000201c0000202 00008909 "
	"0800010100010064 4500002000010000401166ca0a0000010a000002 "
	"0fa00fa1000c0000deadbeef";
/* gre_nsh: 94 bytes */
static const char F_GRE_NSH[] =
	"0200000000020200000000010800 "
	"4500005000010000402ff67ac0000201c0000202 0000894f "
	"0fc60101000064ff00000000000000000000000000000000 "
	"4500002000010000401166ca0a0000010a000002 "
	"17701771000c0000deadbeef";
/* gre_erspan1: 84 bytes */
static const char F_GRE_ERSPAN1[] =
	"0200000000020200000000010800 "
	"4500004600010000402ff684c0000201c0000202 000088be "
	"0200000000060200000000050800 "
	"4500002000010000401166ca0a0000010a000002 "
	"00010002000c0000deadbeef";
/* gre_erspan3: 136 bytes */
static const char F_GRE_ERSPAN3[] =
	"0200000000020200000000010800 "
	"4500007a00010000402ff650c0000201c0000202 100022eb00000002 "
	"206400070000123400000001 0000000000000000 "
	"02000000000602000000000586dd "
	"6000000000140640fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 08ae001600000001000000005002ffff00000000";
/* gre6_erspan3: 128 bytes */
static const char F_GRE6_ERSPAN3[] =
	"02000000000202000000000186dd "
	"60000000004a2f4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 100022eb00000002 206400070000123400000000 "
	"0200000000060200000000050800 "
	"4500002800010000400666cd0a0000010a000002 "
	"0d0501bb00000001000000005002ffff00000000";
/* gpe_ip4: 90 bytes */
static const char F_GPE_IP4[] =
	"0200000000020200000000010800 "
	"4500004c000100004011f69cc0000201c0000202 "
	"c00112b6003800000c000001001388004500002800010000400666cd0a000001 "
	"0a00000215b31a0a00000001000000005002ffff00000000";
/* gpe_ip6: 102 bytes */
static const char F_GPE_IP6[] =
	"0200000000020200000000010800 "
	"45000058000100004011f690c0000201c0000202 "
	"c00212b6004400000c0000020013880060000000000c1140fd00000000000000 "
	"0000000000000001fd00000000000000000000000000000200070009000c0000 "
	"deadbeef";
/* gpe_eth: 116 bytes */
static const char F_GPE_ETH[] =
	"02000000000202000000000186dd "
	"60000000003e114020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"c00312b6003e00000c0000030013880002000000000802000000000708004500 "
	"002000010000401166ca0a0000010a0000020008000a000c0000deadbeef";
/* gpe_nsh: 106 bytes */
static const char F_GPE_NSH[] =
	"0200000000020200000000010800 "
	"4500005c000100004011f68cc0000201c0000202 "
	"c00412b6004800000c000004001388000fc20202000064ff6000000000083a40 "
	"fd000000000000000000000000000001fd000000000000000000000000000002 "
	"8000000000010001";
/* srv6_eth: 124 bytes */
static const char F_SRV6_ETH[] =
	"02000000000202000000000186dd "
	"6000000000462b4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"8f0204000000000020010db8000000000000000000000002 "
	"0200000000040200000000030800 "
	"4500002000010000401166ca0a0000010a000002 "
	"000b000c000c0000deadbeef";
/* srv6_ip4: 118 bytes */
static const char F_SRV6_IP4[] =
	"02000000000202000000000186dd "
	"6000000000402b4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"040204000000000020010db8000000000000000000000002 "
	"4500002800010000400666cd0a0000010a000002 "
	"000d000e00000001000000005002ffff00000000";
/* srv6_ip6: 130 bytes */
static const char F_SRV6_IP6[] =
	"02000000000202000000000186dd "
	"60000000004c2b4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 "
	"290204000000000020010db8000000000000000000000002 "
	"60000000000c1140fd000000000000000000000000000001fd00000000000000 "
	"0000000000000002 000f0010000c0000deadbeef";
/* pppoe_ip4: 54 bytes */
static const char F_PPPOE_IP4[] =
	"0200000000020200000000018864 1100123400220021 "
	"45000020000100004011f6c8c0000201c0000202 "
	"04d20035000c0000deadbeef";
/* pppoe_ip6: 70 bytes */
static const char F_PPPOE_IP6[] =
	"0200000000020200000000018864 1100123400320057 "
	"6000000000083a4020010db800000000000000000000000120010db800000000 "
	"0000000000000002 8000000000010001";
/* pppoe_lcp: 32 bytes */
static const char F_PPPOE_LCP[] =
	"0200000000020200000000018864 11001234000cc021 "
	"0101000a0506deadbeef";

/* vxlan_erspan: 134 bytes */
static const char F_VXLAN_ERSPAN[] =
	"0200000000020200000000010800 "
	"45000078000100004011f670c0000201c0000202 "
	"c00512b5006400000800000000138c0002000000000802000000000708004500 "
	"004600010000402f261ec6336401c6336402000088be02000000000602000000 "
	"000508004500002000010000401166ca0a0000010a00000200010002000c0000 "
	"deadbeef";

#define A4 "192.0.2.1"
#define B4 "192.0.2.2"
#define a4 "10.0.0.1"
#define b4 "10.0.0.2"
#define A6 "2001:db8::1"
#define B6 "2001:db8::2"
#define a6 "fd00::1"
#define b6 "fd00::2"

#define TR FLOW_F_TRUNCATED
#define FR FLOW_F_FRAGMENT
#define IC FLOW_F_ICMP
#define VL FLOW_F_VLAN
#define MF FLOW_F_MALFORMED
#define MI FLOW_F_MIRROR

/* NULL addresses mean family NONE ("-"); flags are compared exactly. */
struct tcase {
	const char *name;
	const char *hex;
	int cut;		/* > 0: dissect only the first cut bytes */
	const char *src, *dst;
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t encap;
	const char *osrc, *odst;
	uint16_t vlan;
	uint16_t et;
	uint8_t flags;
	uint8_t itype, icode;
};

#define IP4(s, d) .src = s, .dst = d, .et = 0x0800
#define IP6(s, d) .src = s, .dst = d, .et = 0x86dd
#define ADDR(s, d) .src = s, .dst = d
#define L4(p, s, d) .proto = p, .sport = s, .dport = d
#define OUTER(s, d) .encap = 1, .osrc = s, .odst = d
/* ERSPAN: the mirrored packet's addresses and protocol (in icmp_type's place). */
#define MIRROR(s, d, p) .osrc = s, .odst = d, .itype = p

static const struct tcase cases[] = {
	/* plain IPv4 */
	{ "ipv4 udp", F_IP4_UDP, 0, IP4(A4, B4), L4(17, 1234, 4321) },
	{ "ipv4 tcp", F_IP4_TCP, 0, IP4(A4, B4), L4(6, 40000, 80) },
	{ "ipv4 sctp", F_IP4_SCTP, 0, IP4(A4, B4), L4(132, 5000, 38412) },
	{ "ipv4 udp-lite", F_IP4_UDPLITE, 0, IP4(A4, B4), L4(136, 1111, 2222) },
	{ "ipv4 with options", F_IP4_OPTS, 0, IP4(A4, B4), L4(17, 7, 9) },
	{ "ipv4 first fragment", F_IP4_FRAG1, 0, IP4(A4, B4),
	  L4(17, 5353, 5353) },
	{ "ipv4 later fragment", F_IP4_FRAG2, 0, IP4(A4, B4), L4(17, 0, 0),
	  .flags = FR },
	{ "ipv4 icmp echo", F_IP4_ICMP, 0, IP4(A4, B4), L4(1, 0, 0),
	  .flags = IC, .itype = 8 },
	{ "ipv4 icmp error, quoted header ignored", F_IP4_ICMP_ERR, 0,
	  IP4(A4, B4), L4(1, 0, 0), .flags = IC, .itype = 3, .icode = 3 },
	{ "ipv4 ethernet padding ignored", F_IP4_PAD, 0, IP4(A4, B4),
	  L4(1, 0, 0), .flags = IC, .itype = 8 },
	{ "ipv4 total length 0 (TSO)", F_IP4_TSO, 0, IP4(A4, B4), L4(6, 1, 2) },
	/* the fast path's edges: each side of every test it makes */
	{ "fast: ipv4 udp, 42 bytes", F_IP4_UDP_MIN, 0, IP4(A4, B4), L4(17, 1234, 4321) },
	{ "fast: ipv4 udp, 41 bytes", F_IP4_UDP_MIN, 41, IP4(A4, B4), L4(17, 1234, 4321),
	  .flags = TR },
	{ "fast: total length short of udp", F_IP4_UDP_TOT27, 0, IP4(A4, B4),
	  L4(17, 1234, 4321), .flags = MF },
	{ "fast: udp to 4788", F_IP4_UDP_4788, 0, IP4(A4, B4), L4(17, 1234, 4788) },
	{ "fast: udp to 6636", F_IP4_UDP_6636, 0, IP4(A4, B4), L4(17, 1234, 6636) },
	{ "fast: vlan ipv6 tcp", F_VLAN_IP6_TCP, 0, IP6(A6, B6), L4(6, 51000, 443),
	  .vlan = 100, .flags = VL },
	{ "fast: vlan ipv6 tcp, 77 bytes", F_VLAN_IP6_TCP, 77, IP6(A6, B6),
	  L4(6, 51000, 443), .vlan = 100, .flags = VL | TR },
	{ "fast: payload length short of tcp", F_VLAN_IP6_TCP_PLEN19, 0, IP6(A6, B6),
	  L4(6, 51000, 443), .vlan = 100, .flags = VL | MF },

	{ "ipv4 bad version", F_IP4_BADVER, 0, .et = 0x0800, .flags = MF },
	{ "ipv4 bad IHL", F_IP4_BADIHL, 0, .et = 0x0800, .flags = MF },
	{ "ipv4 total length cuts udp", F_IP4_SHORTTOT, 0, IP4(A4, B4),
	  L4(17, 1, 2), .flags = MF },
	/* IPv6 and its extension headers */
	{ "ipv6 udp", F_IP6_UDP, 0, IP6(A6, B6), L4(17, 546, 547) },
	{ "ipv6 tcp", F_IP6_TCP, 0, IP6(A6, B6), L4(6, 51000, 443) },
	{ "ipv6 hop-by-hop", F_IP6_HBH, 0, IP6(A6, B6), L4(17, 1000, 2000) },
	{ "ipv6 routing (SRH)", F_IP6_RH, 0, IP6(A6, B6), L4(6, 1025, 22) },
	{ "ipv6 first fragment", F_IP6_FRAG1, 0, IP6(A6, B6),
	  L4(17, 4000, 4001) },
	{ "ipv6 later fragment", F_IP6_FRAG2, 0, IP6(A6, B6), L4(17, 0, 0),
	  .flags = FR },
	{ "ipv6 destination options", F_IP6_DST, 0, IP6(A6, B6),
	  L4(17, 3000, 3001) },
	{ "ipv6 AH", F_IP6_AH, 0, IP6(A6, B6), L4(6, 8080, 8081) },
	{ "ipv6 chain hbh/dst/rh/frag/ah/dst", F_IP6_CHAIN, 0, IP6(A6, B6),
	  L4(17, 111, 222) },
	{ "ipv6 icmpv6 echo", F_IP6_ICMP6, 0, IP6(A6, B6), L4(58, 0, 0),
	  .flags = IC, .itype = 128 },
	{ "ipv6 no next header", F_IP6_NONEXT, 0, IP6(A6, B6), L4(59, 0, 0) },
	{ "ipv6 dst opts then no next header", F_IP6_DST_NONEXT, 0,
	  IP6(A6, B6), L4(59, 0, 0) },
	{ "ipv6 esp", F_IP6_ESP, 0, IP6(A6, B6), L4(50, 0, 0) },
	{ "ipv6 payload length 0 (jumbo)", F_IP6_JUMBO, 0, IP6(A6, B6),
	  L4(6, 1, 2) },
	{ "ipv6 20 dest-opts headers", F_IP6_EXTLOOP, 0, IP6(A6, B6),
	  L4(60, 0, 0), .flags = MF },
	/* VLAN */
	{ "802.1Q", F_VLAN1, 0, IP4(A4, B4), L4(17, 1234, 4321),
	  .vlan = 100, .flags = VL },
	{ "802.1ad QinQ", F_QINQ, 0, IP4(A4, B4), L4(6, 40000, 80),
	  .vlan = 200, .flags = VL },
	{ "4 tags 9100/88a8/8100/8100", F_VLAN4, 0, IP6(A6, B6),
	  L4(17, 9, 10), .vlan = 4094, .flags = VL },
	{ "5 tags", F_VLAN5, 0, .vlan = 1, .et = 0x8100, .flags = VL | MF },
	{ "64 tags", F_VLAN64, 0, .vlan = 1, .et = 0x8100, .flags = VL | MF },
	/* IP-in-IP */
	{ "ipip", F_IPIP, 0, IP4(a4, b4), L4(17, 4444, 5555), OUTER(A4, B4) },
	{ "6in4", F_IP6IN4, 0, IP6(a6, b6), L4(6, 1234, 80), OUTER(A4, B4) },
	{ "4in6", F_IP4IN6, 0, IP4(a4, b4), L4(17, 68, 67), OUTER(A6, B6) },
	{ "6in6 icmpv6", F_IP6IN6, 0, IP6(a6, b6), L4(58, 0, 0),
	  OUTER(A6, B6), .flags = IC, .itype = 135 },
	{ "ipip nested 4 deep", F_IPIP4X, 0, IP4(a4, b4), L4(17, 1, 2),
	  OUTER(A4, B4) },
	{ "ipip nested 5 deep", F_IPIP5X, 0,
	  IP4("198.51.100.1", "198.51.100.101"), L4(4, 0, 0), OUTER(A4, B4),
	  .flags = MF },
	/* GRE */
	{ "gre ipv4", F_GRE_IP4, 0, IP4(a4, b4), L4(17, 1000, 53),
	  OUTER(A4, B4) },
	{ "gre C+K+S ipv6", F_GRE_CKS_IP6, 0, IP6(a6, b6), L4(6, 2000, 179),
	  OUTER(A4, B4) },
	{ "gre TEB, inner vlan", F_GRE_TEB, 0, IP4(a4, b4),
	  L4(6, 33000, 3306), OUTER(A4, B4), .vlan = 300, .flags = VL },
	{ "gre version 1 (pptp)", F_GRE_V1, 0, IP4(A4, B4), L4(47, 0, 0) },
	{ "gre erspan II", F_GRE_ERSPAN, 0, ADDR(A4, B4), L4(47, 0, 0),
	  .et = 0x88be, MIRROR(a4, b4, 17) , .flags = MI },
	{ "gre erspan I", F_GRE_ERSPAN1, 0, ADDR(A4, B4), L4(47, 0, 0),
	  .et = 0x88be, MIRROR(a4, b4, 17) , .flags = MI },
	{ "gre erspan III, platform subheader", F_GRE_ERSPAN3, 0, ADDR(A4, B4),
	  L4(47, 0, 0), .et = 0x22eb, MIRROR(a6, b6, 6) , .flags = MI },
	{ "gre over ipv6 erspan III", F_GRE6_ERSPAN3, 0, ADDR(A6, B6),
	  L4(47, 0, 0), .et = 0x22eb, MIRROR(a4, b4, 6) , .flags = MI },
	{ "erspan inside vxlan: the tunnel keeps outer_*, no mirror",
	  F_VXLAN_ERSPAN, 0, ADDR("198.51.100.1", "198.51.100.2"),
	  L4(47, 0, 0), OUTER(A4, B4), .et = 0x88be },
	{ "gre wccp v2 redirect header", F_GRE_WCCP, 0, ADDR(a4, b4),
	  L4(6, 40000, 80), OUTER(A4, B4), .et = 0x883e },
	{ "gre wccp v1", F_GRE_WCCP_V1, 0, ADDR(a4, b4), L4(17, 5000, 5001),
	  OUTER(A4, B4), .et = 0x883e },
	{ "gre cisco metadata", F_GRE_CMD, 0, IP4(a4, b4), L4(17, 4000, 4001),
	  OUTER(A4, B4) },
	{ "gre nsh md type 1", F_GRE_NSH, 0, IP4(a4, b4), L4(17, 6000, 6001),
	  OUTER(A4, B4) },
	{ "gre mpls", F_MPLS_GRE, 0, IP4(a4, b4), L4(17, 3000, 53),
	  OUTER(A4, B4) },
	{ "gre routing bit", F_GRE_ROUTING, 0, IP4(A4, B4), L4(47, 0, 0) },
	/* UDP tunnels */
	{ "vxlan", F_VXLAN, 0, IP4(a4, b4), L4(6, 5555, 6666), OUTER(A4, B4) },
	{ "vxlan, inner vlan", F_VXLAN_VLAN, 0, IP4(a4, b4),
	  L4(17, 7777, 8888), OUTER(A4, B4), .vlan = 10, .flags = VL },
	{ "vxlan over ipv6, outer and inner vlan", F_VXLAN6_VLAN, 0,
	  IP6(a6, b6), L4(17, 123, 123), OUTER(A6, B6), .vlan = 5,
	  .flags = VL },
	{ "vxlan carrying arp", F_VXLAN_ARP, 0, ADDR(A4, B4),
	  L4(17, 49155, 4789), OUTER(A4, B4), .et = 0x0806 },
	{ "geneve with options, TEB", F_GENEVE, 0, IP4(a4, b4),
	  L4(17, 53, 1053), OUTER(A4, B4) },
	{ "geneve ipv4 icmp", F_GENEVE_IP4, 0, IP4(a4, b4), L4(1, 0, 0),
	  OUTER(A4, B4), .flags = IC },
	{ "geneve version 1", F_GENEVE_V1, 0, IP4(A4, B4),
	  L4(17, 50002, 6081) },
	{ "vxlan-gpe ipv4", F_GPE_IP4, 0, IP4(a4, b4), L4(6, 5555, 6666),
	  OUTER(A4, B4) },
	{ "vxlan-gpe ipv6", F_GPE_IP6, 0, IP6(a6, b6), L4(17, 7, 9),
	  OUTER(A4, B4) },
	{ "vxlan-gpe over ipv6, ethernet", F_GPE_ETH, 0, IP4(a4, b4),
	  L4(17, 8, 10), OUTER(A6, B6) },
	{ "vxlan-gpe nsh md type 2, ipv6", F_GPE_NSH, 0, IP6(a6, b6),
	  L4(58, 0, 0), OUTER(A4, B4), .flags = IC, .itype = 128 },
	{ "mpls over udp, ipv6", F_MPLS_UDP, 0, IP6(a6, b6), L4(17, 546, 547),
	  OUTER(A4, B4) },
	/* MPLS on Ethernet: no outer IP header, so not encapsulated */
	{ "mpls 2 labels, ipv4", F_MPLS_IP4, 0, IP4(a4, b4),
	  L4(17, 1000, 2000) },
	{ "mpls multicast 8 labels, ipv6", F_MPLS_IP6_DEEP, 0, IP6(a6, b6),
	  L4(6, 1025, 179) },
	{ "mpls ethernet pseudowire, control word", F_MPLS_PW_ETH, 0,
	  IP4(a4, b4), L4(1, 0, 0), .flags = IC, .itype = 8 },
	{ "mpls pseudowire without control word, MAC read as ipv6",
	  F_MPLS_PW_NOCW, 0, IP6("0:3:800:4500:20:1:0:4011",
	  "66ca:a00:1:a00:2:1:2:c"), L4(2, 0, 0) },
	{ "mpls associated channel", F_MPLS_ACH, 0, .et = 0x8847 },
	/* SRv6 */
	{ "srv6 ethernet (next header 143)", F_SRV6_ETH, 0, IP4(a4, b4),
	  L4(17, 11, 12), OUTER(A6, B6) },
	{ "srv6 ipv4", F_SRV6_IP4, 0, IP4(a4, b4), L4(6, 13, 14),
	  OUTER(A6, B6) },
	{ "srv6 ipv6", F_SRV6_IP6, 0, IP6(a6, b6), L4(17, 15, 16),
	  OUTER(A6, B6) },
	/* PPPoE session */
	{ "pppoe ipv4", F_PPPOE_IP4, 0, IP4(A4, B4), L4(17, 1234, 53) },
	{ "pppoe ipv6", F_PPPOE_IP6, 0, IP6(A6, B6), L4(58, 0, 0),
	  .flags = IC, .itype = 128 },
	{ "pppoe lcp", F_PPPOE_LCP, 0, .et = 0x8864 },
	/* not IP */
	{ "arp", F_ARP, 0, .et = 0x0806 },
	{ "lldp", F_LLDP, 0, .et = 0x88cc },
	{ "802.3 llc (cdp)", F_LLC, 0, .et = 0x0026 },
	/* truncation at each layer */
	{ "cut: ethernet", F_IP4_UDP, 13, .flags = TR },
	{ "cut: vlan tag", F_VLAN1, 16, .et = 0x8100, .flags = TR },
	{ "cut: ipv4 header", F_IP4_UDP, 33, .et = 0x0800, .flags = TR },
	{ "cut: ipv4 options", F_IP4_OPTS, 44, .et = 0x0800, .flags = TR },
	{ "cut: ipv6 header", F_IP6_UDP, 53, .et = 0x86dd, .flags = TR },
	{ "cut: hop-by-hop", F_IP6_HBH, 60, IP6(A6, B6), L4(0, 0, 0),
	  .flags = TR },
	{ "cut: routing header", F_IP6_RH, 74, IP6(A6, B6), L4(43, 0, 0),
	  .flags = TR },
	{ "cut: AH", F_IP6_AH, 70, IP6(A6, B6), L4(51, 0, 0), .flags = TR },
	{ "cut: udp, ports kept", F_IP4_UDP, 40, IP4(A4, B4),
	  L4(17, 1234, 4321), .flags = TR },
	{ "cut: udp, 3 bytes", F_IP4_UDP, 37, IP4(A4, B4), L4(17, 0, 0),
	  .flags = TR },
	{ "cut: tcp, ports kept", F_IP4_TCP, 44, IP4(A4, B4),
	  L4(6, 40000, 80), .flags = TR },
	{ "cut: tcp, 4 bytes", F_IP6_TCP, 58, IP6(A6, B6), L4(6, 51000, 443),
	  .flags = TR },
	{ "cut: sctp, ports kept", F_IP4_SCTP, 42, IP4(A4, B4),
	  L4(132, 5000, 38412), .flags = TR },
	{ "cut: udp-lite, ports kept", F_IP4_UDPLITE, 38, IP4(A4, B4),
	  L4(136, 1111, 2222), .flags = TR },
	{ "cut: icmpv6", F_IP6_ICMP6, 55, IP6(A6, B6), L4(58, 0, 0),
	  .flags = TR },
	{ "cut: gre header", F_GRE_CKS_IP6, 44, IP4(A4, B4), L4(47, 0, 0),
	  .flags = TR },
	{ "cut: vxlan header", F_VXLAN, 46, IP4(A4, B4), L4(17, 49152, 4789),
	  .flags = TR },
	{ "cut: geneve options", F_GENEVE, 52, IP4(A4, B4),
	  L4(17, 50000, 6081), .flags = TR },
	{ "cut: vxlan inner ethernet", F_VXLAN, 60, IP4(A4, B4),
	  L4(17, 49152, 4789), OUTER(A4, B4), .flags = TR },
	{ "cut: ipip inner ipv4", F_IPIP, 46, IP4(A4, B4), L4(4, 0, 0),
	  OUTER(A4, B4), .flags = TR },
	{ "cut: 6in4 inner ipv6", F_IP6IN4, 64, ADDR(A4, B4), L4(41, 0, 0),
	  OUTER(A4, B4), .et = 0x86dd, .flags = TR },
	{ "cut: gre TEB inner ipv4", F_GRE_TEB, 70, IP4(A4, B4), L4(47, 0, 0),
	  OUTER(A4, B4), .vlan = 300, .flags = VL | TR },
	{ "cut: vxlan inner tcp", F_VXLAN, 88, IP4(a4, b4),
	  L4(6, 5555, 6666), OUTER(A4, B4), .flags = TR },
	{ "cut: mpls label stack", F_MPLS_IP6_DEEP, 30, .et = 0x8848,
	  .flags = TR },
	{ "cut: mpls control word", F_MPLS_PW_ETH, 24, .et = 0x8847,
	  .flags = TR },
	{ "cut: mpls over udp, ipv6", F_MPLS_UDP, 60, ADDR(A4, B4),
	  L4(17, 49152, 6635), OUTER(A4, B4), .et = 0x86dd, .flags = TR },
	{ "cut: nsh metadata", F_GRE_NSH, 50, ADDR(A4, B4), L4(47, 0, 0),
	  OUTER(A4, B4), .et = 0x894f, .flags = TR },
	{ "cut: cisco metadata", F_GRE_CMD, 40, ADDR(A4, B4), L4(47, 0, 0),
	  .et = 0x8909, .flags = TR },
	{ "cut: wccp redirect header", F_GRE_WCCP, 40, ADDR(A4, B4),
	  L4(47, 0, 0), .et = 0x883e, .flags = TR },
	{ "cut: erspan III subheader", F_GRE_ERSPAN3, 58, ADDR(A4, B4),
	  L4(47, 0, 0), .et = 0x22eb, .flags = TR },
	{ "cut: erspan mirrored ipv4", F_GRE_ERSPAN1, 60, ADDR(A4, B4),
	  L4(47, 0, 0), .et = 0x88be, .flags = TR },
	{ "cut: erspan mirrored udp", F_GRE_ERSPAN1, 76, ADDR(A4, B4),
	  L4(47, 0, 0), .et = 0x88be, MIRROR(a4, b4, 17), .flags = MI | TR },
	{ "cut: vxlan-gpe header", F_GPE_IP4, 46, IP4(A4, B4),
	  L4(17, 49153, 4790), .flags = TR },
	{ "cut: srv6 inner ethernet", F_SRV6_ETH, 90, IP6(A6, B6),
	  L4(143, 0, 0), OUTER(A6, B6), .flags = TR },
	{ "cut: pppoe header", F_PPPOE_IP4, 20, .et = 0x8864, .flags = TR },
};

/* Frames whose every prefix is dissected. */
static const char *const long_frames[] = {
	F_IP6_CHAIN, F_VXLAN6_VLAN, F_GRE_TEB, F_GRE_CKS_IP6, F_GENEVE,
	F_IP4IN6, F_IP4_OPTS, F_IPIP5X, F_VLAN64,
	F_MPLS_IP4, F_MPLS_IP6_DEEP, F_MPLS_PW_ETH, F_MPLS_GRE, F_MPLS_UDP,
	F_MPLS_ACH, F_MPLS_PW_NOCW, F_GRE_WCCP, F_GRE_WCCP_V1, F_GRE_CMD,
	F_GRE_NSH, F_GRE_ERSPAN, F_GRE_ERSPAN1, F_GRE_ERSPAN3, F_GRE6_ERSPAN3,
	F_GPE_IP4, F_GPE_IP6, F_GPE_ETH, F_GPE_NSH, F_SRV6_ETH, F_SRV6_IP4,
	F_SRV6_IP6, F_PPPOE_IP4, F_PPPOE_IP6, F_PPPOE_LCP, F_VXLAN_ERSPAN,
};

static void addr_text(const uint8_t *a, uint8_t family, char *buf,
		      size_t size)
{
	if (family == FLOW_FAMILY_NONE)
		snprintf(buf, size, "-");
	else if (!inet_ntop(family == FLOW_FAMILY_IPV4 ? AF_INET : AF_INET6,
			    a, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

static uint8_t family_of(const char *addr)
{
	if (!addr)
		return FLOW_FAMILY_NONE;
	return strchr(addr, ':') ? FLOW_FAMILY_IPV6 : FLOW_FAMILY_IPV4;
}

static int is_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* Bytes that the family leaves unused must be zero. */
static int tails_zero(const struct flow_key *k)
{
	size_t in = k->family == FLOW_FAMILY_IPV6 ? 16 :
		    k->family == FLOW_FAMILY_IPV4 ? 4 : 0;
	size_t out = k->outer_family == FLOW_FAMILY_IPV6 ? 16 :
		     k->outer_family == FLOW_FAMILY_IPV4 ? 4 : 0;

	return is_zero(k->saddr + in, 16 - in) &&
	       is_zero(k->daddr + in, 16 - in) &&
	       is_zero(k->outer_saddr + out, 16 - out) &&
	       is_zero(k->outer_daddr + out, 16 - out) && k->pad == 0;
}

static void describe(const struct flow_key *k, char *buf, size_t size)
{
	char s[64], d[64], os[64], od[64];

	addr_text(k->saddr, k->family, s, sizeof(s));
	addr_text(k->daddr, k->family, d, sizeof(d));
	addr_text(k->outer_saddr, k->outer_family, os, sizeof(os));
	addr_text(k->outer_daddr, k->outer_family, od, sizeof(od));
	snprintf(buf, size,
		 "%s > %s %u > %u proto %u encap %u outer %s > %s vlan %u "
		 "et %#06x flags %#x icmp %u/%u",
		 s, d, k->sport, k->dport, k->ip_proto, k->is_encap, os, od,
		 k->vlan, k->ethertype, k->flags, k->icmp_type, k->icmp_code);
}

static int check_key(const struct tcase *t, const unsigned char *frame, int n, int entry);

static int check_case(const struct tcase *t)
{
	unsigned char frame[512];
	int n = tap_unhex(t->hex, frame, (int)sizeof(frame)), entry;

	if (n < 0 || t->cut > n)
		return tap_ok(0, "%s: bad test frame", t->name);
	if (t->cut)
		n = t->cut;
	for (entry = 0; entry < 3; entry++) {
		if (!check_key(t, frame, n, entry))
			return 0;
	}
	return tap_ok(1, "%s", t->name);
}

/* One entry point's key against the case: dissect_eth() (entry 0),
 * dissect_packet() as a hardware alert's frame (1: protocol 0) or, for an
 * untagged IP frame, as a software drop's raw IP packet after the Ethernet
 * header (2: protocol the EtherType, which the key's ethertype then is).
 * dissect_packet() has a fast path of its own for plain TCP and UDP.
 */
static int check_key(const struct tcase *t, const unsigned char *frame, int n, int entry)
{
	uint16_t et = t->et, type = n >= 14 ? (uint16_t)(frame[12] << 8 | frame[13]) : 0;
	unsigned char raw[512];

	struct flow_key k;
	char s[64], d[64], os[64], od[64], got[512];
	const char *xs = t->src ? t->src : "-", *xd = t->dst ? t->dst : "-";
	const char *xos = t->osrc ? t->osrc : "-";
	const char *xod = t->odst ? t->odst : "-";
	unsigned int ret;
	int ok;

	memset(&k, 0xaa, sizeof(k));
	if (entry == 2) {
		if ((type != 0x0800 && type != 0x86dd) || n == 14)
			return 1;
		/* Sized exactly, so ASan sees any overread. */
		memcpy(raw + sizeof(raw) - (n - 14), frame + 14, (size_t)n - 14);
		if (!dissect_is_raw_ip(raw + sizeof(raw) - (n - 14), (size_t)n - 14, type))
			return 1;
		ret = dissect_packet(raw + sizeof(raw) - (n - 14), (size_t)n - 14, type, &k);
		et = type;
	} else {
		ret = entry ? dissect_packet(frame, (size_t)n, 0, &k) : dissect_eth(frame, (size_t)n, &k);
	}
	addr_text(k.saddr, k.family, s, sizeof(s));
	addr_text(k.daddr, k.family, d, sizeof(d));
	addr_text(k.outer_saddr, k.outer_family, os, sizeof(os));
	addr_text(k.outer_daddr, k.outer_family, od, sizeof(od));
	ok = ret == k.flags && tails_zero(&k) &&
	     k.family == family_of(t->src) && !strcmp(s, xs) &&
	     !strcmp(d, xd) && k.sport == t->sport && k.dport == t->dport &&
	     k.ip_proto == t->proto && k.is_encap == t->encap &&
	     k.outer_family == family_of(t->osrc) && !strcmp(os, xos) &&
	     !strcmp(od, xod) && k.vlan == t->vlan && k.ethertype == et &&
	     k.flags == t->flags && k.icmp_type == t->itype &&
	     k.icmp_code == t->icode;
	if (!ok) {
		tap_ok(0, "%s (%s)", t->name,
		       entry == 2 ? "dissect_packet, raw IP" : entry ? "dissect_packet" : "dissect_eth");
		describe(&k, got, sizeof(got));
		tap_diag("got:  %s (returned %#x)", got, ret);
		tap_diag("want: %s > %s %u > %u proto %u encap %u outer %s > %s "
			 "vlan %u et %#06x flags %#x icmp %u/%u",
			 xs, xd, t->sport, t->dport, t->proto, t->encap, xos,
			 xod, t->vlan, et, t->flags, t->itype, t->icode);
	}
	return ok;
}

/* Every prefix: below some length the key is marked truncated, from that
 * length on it equals the full frame's key. ASan checks the reads.
 */
static void check_prefixes(const char *hex, int idx)
{
	unsigned char frame[512];
	struct flow_key full, k, k2;
	int n = tap_unhex(hex, frame, (int)sizeof(frame));
	int p, enough = -1, ok = n > 0;

	if (ok)
		dissect_eth(frame, (size_t)n, &full);
	for (p = 0; ok && p <= n; p++) {
		/* A fresh copy sized exactly p, so ASan sees any overread. */
		unsigned char buf[512];
		unsigned char *cut = buf + sizeof(buf) - p;

		memcpy(cut, frame, (size_t)p);
		dissect_packet(cut, (size_t)p, 0, &k2);
		dissect_eth(cut, (size_t)p, &k);
		if (memcmp(&k, &k2, sizeof(k))) {
			tap_diag("prefix %d of %d: dissect_packet's key differs", p, n);
			ok = 0;
		}
		if (!memcmp(&k, &full, sizeof(k))) {
			if (enough < 0)
				enough = p;
		} else if (enough >= 0 || !(k.flags & FLOW_F_TRUNCATED) ||
			   (k.flags & FLOW_F_MALFORMED & ~full.flags)) {
			tap_diag("prefix %d of %d: flags %#x", p, n, k.flags);
			ok = 0;
		}
	}
	tap_ok(ok && enough >= 0, "long frame %d: all %d prefixes consistent",
	       idx, n);
}

/* Random byte flips on the table's frames: nothing may read out of bounds
 * and the key must stay self-consistent.
 */
static void check_mutations(void)
{
	uint32_t rng = 12345;
	unsigned int i, j, bad = 0, runs = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char frame[512];
		int n = tap_unhex(cases[i].hex, frame, (int)sizeof(frame));

		for (j = 0; n > 0 && j < 400; j++) {
			unsigned char buf[512];
			struct flow_key k, k2;
			size_t len;

			memcpy(buf, frame, (size_t)n);
			rng = rng * 1103515245u + 12345u;
			buf[(rng >> 8) % (unsigned int)n] ^=
				(unsigned char)(1u << (rng >> 28 & 7));
			rng = rng * 1103515245u + 12345u;
			buf[(rng >> 8) % (unsigned int)n] = (unsigned char)rng;
			len = (size_t)n - (j & 1 ? (rng >> 20) % 8 : 0);
			memmove(buf + sizeof(buf) - len, buf, len);
			dissect_packet(buf + sizeof(buf) - len, len, 0, &k2);
			dissect_eth(buf + sizeof(buf) - len, len, &k);
			runs++;
			if (memcmp(&k, &k2, sizeof(k)))
				bad++;
			if (!tails_zero(&k) ||
			    ((k.is_encap || (k.flags & FLOW_F_MIRROR)) !=
			     (k.outer_family != 0)) ||
			    (k.is_encap && (k.flags & FLOW_F_MIRROR)) ||
			    (k.family == 0 && (k.sport || k.dport || k.ip_proto)))
				bad++;
		}
	}
	tap_ok(bad == 0, "%u mutated frames: keys consistent (%u bad)", runs,
	       bad);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	for (i = 0; i < sizeof(long_frames) / sizeof(long_frames[0]); i++)
		check_prefixes(long_frames[i], (int)i);
	check_mutations();
	return tap_done();
}
