/* kallsyms: parsing /proc/kallsyms text and resolving program counters. */
#include <string.h>

#include "kallsyms.h"
#include "tap.h"

static const char text[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81a2b000 T __udp4_lib_rcv\n"
	"ffffffff81a2c000 t udp_queue_rcv_skb\n"
	"ffffffff81a2d000 D some_data\n"
	"0000000000000000 T hidden_by_kptr_restrict\n"
	"garbage line\n"
	"ffffffffc0001000 t nsim_dev_trap_report\t[netdevsim]\n"
	"ffffffff81900000 T kfree_skb_reason";	/* no final newline */

int main(void)
{
	struct kallsyms ks;
	char buf[128];

	tap_ok(kallsyms_parse(&ks, text, strlen(text)) == 0, "parses");
	tap_ok(ks.n == 5, "keeps the 5 text symbols with addresses (got %zu)", ks.n);
	tap_ok(!strcmp(kallsyms_name(&ks, 0xffffffff81a2b9a2ull, buf, sizeof(buf)),
		       "__udp4_lib_rcv+0x9a2"), "pc inside a function: %s", buf);
	tap_ok(!strcmp(kallsyms_name(&ks, 0xffffffff81a2c000ull, buf, sizeof(buf)),
		       "udp_queue_rcv_skb+0x0"), "pc at a symbol start: %s", buf);
	tap_ok(!strcmp(kallsyms_name(&ks, 0xffffffffc0001010ull, buf, sizeof(buf)),
		       "nsim_dev_trap_report+0x10"), "module symbol, [module] dropped: %s", buf);
	tap_ok(!strcmp(kallsyms_name(&ks, 0xffffffff81900004ull, buf, sizeof(buf)),
		       "kfree_skb_reason+0x4"), "last line without newline: %s", buf);
	tap_ok(!strcmp(kallsyms_name(&ks, 0x1000, buf, sizeof(buf)), "0x1000"),
	       "pc below every symbol prints as an address: %s", buf);
	kallsyms_fini(&ks);
	tap_ok(kallsyms_parse(&ks, "0000000000000000 T a\n", 21) == -1,
	       "only zero addresses (kptr_restrict): refused");
	kallsyms_fini(&ks);
	tap_ok(kallsyms_load(&ks, "/nonexistent/kallsyms") == -1, "missing file: -1");
	return tap_done();
}
