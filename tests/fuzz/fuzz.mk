# Fuzz targets: libFuzzer with ASan and UBSan, built with clang straight
# from the src/*.c files each needs (src/libtrapmon.a is gcc's build).
# Included by Makefile.am; plain make rules only.
#
#   make fuzz-build               build tests/fuzz/bin/fuzz_* (one per parser)
#   make fuzz FUZZ_SECONDS=60     run each on a scratch copy of its seeds under
#                                 tests/fuzz/work/ (make -j2 fuzz runs two at once);
#                                 fails if any crash, leak, timeout or OOM is found
#   make fuzz-seeds               regenerate tests/fuzz/corpus/ in the source tree
#   make fuzz-clean               remove tests/fuzz/bin and tests/fuzz/work
#
# Needs clang and its libFuzzer runtime: on Debian bookworm
# apt-get install clang libclang-rt-14-dev (only recommended by clang-14).

FUZZ_SECONDS = 60
FUZZ_CC = clang
# -DFUZZ_MNL_OVERLONG: feed mnl_cb_run() whole inputs instead of the prefix
# nlparse_valid_len() passes, as trapmon's read loops do (fuzz_common.h).
FUZZ_DEFS =

fuzz_bin = tests/fuzz/bin
fuzz_work = tests/fuzz/work
fuzz_dir = $(top_srcdir)/tests/fuzz
fuzz_flags = -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(FUZZ_DEFS)
fuzz_incs = -I$(top_srcdir)/include -I$(top_builddir) -I$(fuzz_dir) \
	$(LIBMNL_CFLAGS) $(LIBNL_GENL_CFLAGS) $(LIBNL_CFLAGS) $(LIBPCAP_CFLAGS)
fuzz_libs = $(LIBMNL_LIBS) $(LIBNL_GENL_LIBS) $(LIBNL_LIBS) $(LIBPCAP_LIBS)

# What each target compiles: pure code only, no socket.
fuzz_netdm_c = $(fuzz_dir)/fuzz_netdm.c $(top_srcdir)/src/netdm_parse.c \
	$(top_srcdir)/src/nlparse.c $(top_srcdir)/src/dissect.c $(top_srcdir)/src/dissect_tunnel.c
fuzz_dissect_c = $(fuzz_dir)/fuzz_dissect.c $(top_srcdir)/src/dissect.c $(top_srcdir)/src/dissect_tunnel.c
fuzz_replay_c = $(fuzz_dir)/fuzz_replay.c $(top_srcdir)/tests/pcapref.c \
	$(top_srcdir)/src/replay.c $(top_srcdir)/src/filebuf.c \
	$(top_srcdir)/src/netdm_parse.c $(top_srcdir)/src/nlparse.c \
	$(top_srcdir)/src/errmsg.c $(top_srcdir)/src/dissect.c $(top_srcdir)/src/dissect_tunnel.c
fuzz_devlink_c = $(fuzz_dir)/fuzz_devlink.c $(top_srcdir)/src/devlink_parse.c \
	$(top_srcdir)/src/names.c $(top_srcdir)/src/guide.c $(top_srcdir)/src/nlparse.c
fuzz_tracepoint_c = $(fuzz_dir)/fuzz_tracepoint.c $(top_srcdir)/src/tracepoint_parse.c \
	$(top_srcdir)/src/errmsg.c
fuzz_webconfig_c = $(fuzz_dir)/fuzz_webconfig.c $(top_srcdir)/src/webconfig_parse.c \
	$(top_srcdir)/src/errmsg.c
fuzz_tcfilter_c = $(fuzz_dir)/fuzz_tcfilter.c $(top_srcdir)/src/tcfilter_parse.c \
	$(top_srcdir)/src/nlparse.c
fuzz_seeds_c = $(fuzz_dir)/make-seeds.c $(top_srcdir)/src/capture.c \
	$(top_srcdir)/src/errmsg.c
fuzz_hdrs = $(fuzz_dir)/fuzz_common.h $(top_srcdir)/include/netdm.h \
	$(top_srcdir)/include/dissect.h $(top_srcdir)/src/dissect_priv.h $(top_srcdir)/include/replay.h \
	$(top_srcdir)/include/devlink.h $(top_srcdir)/include/nlparse.h \
	$(top_srcdir)/include/capture.h $(top_srcdir)/tests/nlbuild.h $(top_srcdir)/tests/alert_same.h \
	$(top_srcdir)/include/tracepoint.h $(top_srcdir)/tests/pcapref.h $(top_srcdir)/src/guide.def \
	$(top_srcdir)/include/webconfig.h $(top_srcdir)/include/tcfilter.h $(top_srcdir)/include/unaligned.h

$(fuzz_bin)/fuzz_netdm: $(fuzz_netdm_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) -o $@ $(fuzz_netdm_c) $(fuzz_libs)

$(fuzz_bin)/fuzz_dissect: $(fuzz_dissect_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) -o $@ $(fuzz_dissect_c)

$(fuzz_bin)/fuzz_replay: $(fuzz_replay_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) -o $@ $(fuzz_replay_c) $(fuzz_libs)

$(fuzz_bin)/fuzz_devlink: $(fuzz_devlink_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) -o $@ $(fuzz_devlink_c) $(fuzz_libs)

$(fuzz_bin)/fuzz_tracepoint: $(fuzz_tracepoint_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) -o $@ $(fuzz_tracepoint_c)

$(fuzz_bin)/fuzz_webconfig: $(fuzz_webconfig_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) $(LIBYAML_CFLAGS) -o $@ $(fuzz_webconfig_c) \
	  $(fuzz_libs) $(LIBYAML_LIBS)

$(fuzz_bin)/fuzz_tcfilter: $(fuzz_tcfilter_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) $(fuzz_flags) $(fuzz_incs) -o $@ $(fuzz_tcfilter_c) $(fuzz_libs)

$(fuzz_bin)/make-seeds: $(fuzz_seeds_c) $(fuzz_hdrs)
	@$(MKDIR_P) $(fuzz_bin)
	$(FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=address,undefined \
	  $(fuzz_incs) -o $@ $(fuzz_seeds_c) $(fuzz_libs)

fuzz-build: $(fuzz_bin)/fuzz_netdm $(fuzz_bin)/fuzz_dissect $(fuzz_bin)/fuzz_replay \
	$(fuzz_bin)/fuzz_devlink $(fuzz_bin)/fuzz_tracepoint $(fuzz_bin)/fuzz_webconfig \
	$(fuzz_bin)/fuzz_tcfilter

fuzz_run = $(SHELL) $(fuzz_dir)/run.sh
fuzz_run_args = $(fuzz_bin) $(fuzz_dir)/corpus $(fuzz_work) $(FUZZ_SECONDS)

fuzz-run-netdm: $(fuzz_bin)/fuzz_netdm
	@$(fuzz_run) netdm $(fuzz_run_args)
fuzz-run-dissect: $(fuzz_bin)/fuzz_dissect
	@$(fuzz_run) dissect $(fuzz_run_args)
fuzz-run-replay: $(fuzz_bin)/fuzz_replay
	@$(fuzz_run) replay $(fuzz_run_args)
fuzz-run-devlink: $(fuzz_bin)/fuzz_devlink
	@$(fuzz_run) devlink $(fuzz_run_args)
fuzz-run-tracepoint: $(fuzz_bin)/fuzz_tracepoint
	@$(fuzz_run) tracepoint $(fuzz_run_args)
fuzz-run-webconfig: $(fuzz_bin)/fuzz_webconfig
	@$(fuzz_run) webconfig $(fuzz_run_args)
fuzz-run-tcfilter: $(fuzz_bin)/fuzz_tcfilter
	@$(fuzz_run) tcfilter $(fuzz_run_args)

fuzz: fuzz-run-netdm fuzz-run-dissect fuzz-run-replay fuzz-run-devlink fuzz-run-tracepoint \
	fuzz-run-webconfig fuzz-run-tcfilter

# Rewrites the committed seeds in the source tree; run it by hand.
fuzz-seeds: $(fuzz_bin)/make-seeds
	rm -rf $(fuzz_dir)/corpus/netdm $(fuzz_dir)/corpus/devlink $(fuzz_dir)/corpus/tcfilter \
	  $(fuzz_dir)/corpus/dissect $(fuzz_dir)/corpus/replay $(fuzz_dir)/corpus/tracepoint
	$(fuzz_bin)/make-seeds $(fuzz_dir)/corpus $(top_srcdir)/tests/unit/test_dissect.c \
	  $(top_srcdir)/tests/tracepoint/devlink_trap_report-6.1.format

fuzz-clean:
	rm -rf $(fuzz_bin) $(fuzz_work)

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-clean fuzz-run-netdm fuzz-run-dissect \
	fuzz-run-replay fuzz-run-devlink fuzz-run-tracepoint fuzz-run-webconfig fuzz-run-tcfilter

EXTRA_DIST += tests/fuzz/fuzz_common.h tests/fuzz/fuzz_netdm.c \
	tests/fuzz/fuzz_dissect.c tests/fuzz/fuzz_replay.c tests/fuzz/fuzz_devlink.c \
	tests/fuzz/fuzz_tracepoint.c tests/fuzz/fuzz_webconfig.c tests/fuzz/fuzz_tcfilter.c \
	tests/fuzz/make-seeds.c tests/fuzz/run.sh tests/fuzz/corpus
