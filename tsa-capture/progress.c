#include <sys/types.h>
#include <unistd.h>

#include "progress.h"

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_init(struct progress *pr, FILE *f, int64_t size, int quiet)
{
	pr->on = !quiet && f != NULL && size > 0 && isatty(2);
	pr->drawn = 0;
	pr->f = f;
	pr->size = size;
	clock_gettime(CLOCK_MONOTONIC, &pr->start);
	pr->last = pr->start;
}

static void draw(struct progress *pr, uint64_t packets, const struct timespec *now,
    int done)
{
	double secs = since(&pr->start, now), share, rate, left;
	off_t pos = done ? pr->size : ftello(pr->f);
	int eta;

	if (pos < 0)
		pos = 0;
	share = (double)pos / (double)pr->size;
	if (share > 1)
		share = 1;
	rate = secs > 0 ? (double)packets / secs : 0;
	left = share > 0 ? secs * (1 - share) / share : 0;
	eta = (int)(done ? secs : left);
	fprintf(stderr, "\r%5.1f%%  %7.1f MiB of %.1f MiB  %6.2f M packets/s  %s %d:%02d ",
	    share * 100, (double)pos / 1048576, (double)pr->size / 1048576,
	    rate / 1e6, done ? "took" : "ETA", eta / 60, eta % 60);
	pr->drawn = 1;
	pr->last = *now;
}

void progress_tick(struct progress *pr, uint64_t packets)
{
	struct timespec now;

	if (!pr->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (since(&pr->start, &now) < 1 || since(&pr->last, &now) < 0.25)
		return;
	draw(pr, packets, &now, 0);
}

void progress_end(struct progress *pr, uint64_t packets)
{
	struct timespec now;

	if (!pr->drawn)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	draw(pr, packets, &now, 1);
	fputc('\n', stderr);
}
