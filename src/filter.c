/* filter: --filter, a tcpdump expression compiled by libpcap and run with
 * pcap_offline_filter() on each dropped packet.
 */
#include <errno.h>
#include <string.h>

#include "errmsg.h"
#include "filter.h"

static int compile_for(struct bpf_program *prog, int linktype, const char *expr,
		       struct errmsg *e)
{
	pcap_t *dead = pcap_open_dead(linktype, 262144);
	int ret = 0;

	if (!dead) {
		errmsg_set(e, ENOMEM, "out of memory compiling --filter");
		return -1;
	}
	if (pcap_compile(dead, prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		errmsg_set(e, EINVAL, "bad --filter '%s': %s: see pcap-filter(7)", expr,
			   pcap_geterr(dead));
		ret = -1;
	}
	pcap_close(dead);
	return ret;
}

int filter_compile(struct filter *f, const char *expr, struct errmsg *e)
{
	memset(f, 0, sizeof(*f));
	if (!expr)
		return 0;
	if (compile_for(&f->eth, DLT_EN10MB, expr, e) < 0)
		return -1;
	/* Link-layer words (ether host, vlan) cannot apply to raw IP: such
	 * packets then match nothing.
	 */
	if (compile_for(&f->raw, DLT_RAW, expr, NULL) < 0)
		memset(&f->raw, 0, sizeof(f->raw));
	f->active = true;
	return 0;
}

bool filter_match(const struct filter *f, const uint8_t *pkt, uint32_t caplen, uint32_t len,
		  bool raw_ip)
{
	struct pcap_pkthdr h = { .caplen = caplen, .len = len };
	const struct bpf_program *prog = raw_ip ? &f->raw : &f->eth;

	if (!f->active)
		return true;
	if (!prog->bf_insns)
		return false;
	return pcap_offline_filter(prog, &h, pkt) != 0;
}

void filter_fini(struct filter *f)
{
	if (f->eth.bf_insns)
		pcap_freecode(&f->eth);
	if (f->raw.bf_insns)
		pcap_freecode(&f->raw);
	memset(f, 0, sizeof(*f));
}
