# The abusive-content detector (text.h: fb_abuse_*, fb_text_mask): its sources,
# and the lexicons and model it compiles in. Sets FB_ABUSE_SOURCES for the library.
set(FB_ABUSE_SOURCES)
