/* report: the table and the textfile, from the aggregate's tables. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

/* Out of memory (ulimit -v) for the rows of every flow, or for merging
 * them: each trap's totals instead, so the counts are never lost.
 */
static int traps_only(FILE *fp, const struct flowtab_view *view, const struct out_loss *loss,
		      const struct out_opts *oo, const struct timespec *now)
{
	struct out_rows rows;

	if (output_collect_traps(view, &rows) < 0)
		return -1;
	output_print(fp, &rows, loss, oo, now);
	output_rows_fini(&rows);
	return 1;
}

int report_table(FILE *fp, const struct flowtab_view *view, const struct out_loss *loss,
		 const struct out_opts *oo, const struct timespec *at)
{
	struct out_rows rows;
	struct timespec now;
	int ret = 0;

	if (at)
		now = *at;
	else
		clock_gettime(CLOCK_REALTIME, &now);
	if (output_collect(view, NULL, 0, &rows) < 0)
		return traps_only(fp, view, loss, oo, &now);
	/* In-ports are kept for metrics; a view without PORT merges them,
	 * and --by merges what its key leaves out.
	 */
	if (oo->by)
		ret = output_merge_by(&rows, oo);
	else if (!oo->wide && !oo->json)
		ret = output_merge_ports(&rows);
	if (ret < 0) {
		output_rows_fini(&rows);
		return traps_only(fp, view, loss, oo, &now);
	}
	if (oo->sort != SORT_COUNT)
		output_sort(&rows, oo->sort);
	output_print(fp, &rows, loss, oo, &now);
	output_rows_fini(&rows);
	return 0;
}

int report_textfile(const char *path, int (*render)(FILE *fp, void *arg), void *arg)
{
	char tmp[PATH_MAX];
	FILE *fp;
	int saved;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fp = fopen(tmp, "we");
	if (!fp)
		return -1;
	if (render(fp, arg) < 0) {
		saved = errno;
		fclose(fp);
		goto err_unlink;
	}
	if (fclose(fp) != 0 || rename(tmp, path) < 0) {
		saved = errno;
		goto err_unlink;
	}
	return 0;

err_unlink:
	unlink(tmp);
	errno = saved;
	return -1;
}
