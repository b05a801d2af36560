/*
 * Where p0f 3.09b looks for the IP header in a frame, by the stream's link
 * type (the header's link_type: libpcap's DLT), for --compat: a frame p0f
 * cannot read must change nothing there.
 */
#ifndef P0F_LINKTYPE_H
#define P0F_LINKTYPE_H

#include <stdint.h>

#define P0F_LINK_UNKNOWN (-2)	/* not a link type tsa-capture writes */
#define P0F_LINK_NEVER	(-1)	/* p0f finds no IP header: reads nothing */

/*
 * The offset of the IP header p0f reads a frame of this link type at, or
 * P0F_LINK_NEVER, or P0F_LINK_UNKNOWN.
 */
int p0f_ip_offset(int64_t link_type);

#endif
