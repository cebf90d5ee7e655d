#include "feedback/version.h"

const char *fb_version(void) { return FB_VERSION_STRING; }

int fb_version_number(void) { return FB_VERSION_NUMBER; }
