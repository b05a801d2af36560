// link:
/*
 * settings.ini text: any bytes must parse or be refused with a line number,
 * and the values that come out must be safe to parse as the tools parse them.
 */
#include <stdlib.h>

#include "tsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	tsa_settings_reset();
	(void)tsa_settings_parse_text(text);
	free(text);
	/* Look up keys that the tools read; values may be anything. */
	(void)tsa_setting("app", "UseLiveCapture");
	uint64_t ns;
	const char *w = tsa_setting("aggregate", "Window");
	if (w)
		(void)tsa_parse_duration(w, &ns);
	struct tsa_cidr c;
	const char *l = tsa_setting("aggregate", "LocalNetworks");
	if (l)
		(void)tsa_cidr_parse(l, &c);
	return 0;
}
